"""The lines of one change for an order, sent one guarded change each inside the caller's
unit of work, stopping at the first refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.services.orders_lines import Take
from dairy_desktop.services.orders_request import LineStamps
from dairy_desktop.services.ports import UnitOfWork

# Called with n after the n-th line is written, before the commit: a test's way to fail there.
AfterLine = Callable[[int], None]
SendLine = Callable[[Take, Stamp], Changed | Refused]


@dataclass(frozen=True, slots=True)
class LineRefused:
    take: Take
    refused: Refused
    # The refused batch's reservations, read in the same transaction: whose litres they are.
    reservations: tuple[Reservation, ...] = ()


def run_lines(
    uow: UnitOfWork,
    takes: Sequence[Take],
    send: SendLine,
    stamps: LineStamps,
    after_line: AfterLine | None = None,
) -> tuple[Changed, ...] | LineRefused:
    """Every line's change in the plan's order, or the first line refused (the caller then
    leaves its unit of work without committing, which undoes the lines before it).

    Line n is stamped with request id "R:n" from the plan's order, but the lines are sent in
    code order: two PCs' transactions then lock the batches they share in the same order,
    so neither can wait for the other in a circle."""
    done: dict[int, Changed] = {}
    numbered = list(enumerate(takes, start=1))
    for count, (number, take) in enumerate(sorted(numbered, key=lambda n: n[1].code), 1):
        outcome = send(take, stamps.stamp(number))
        if isinstance(outcome, Refused):
            return LineRefused(take, outcome, tuple(uow.reservations.for_batch(take.code)))
        done[number] = outcome
        if after_line is not None:
            after_line(count)
    return tuple(done[number] for number, _ in numbered)
