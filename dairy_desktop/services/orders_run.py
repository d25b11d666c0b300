"""The lines of one change for an order, sent one guarded change each inside the caller's
unit of work.

Every transaction sends its lines in FEFO order (expiry, received time, code): a total
order every PC shares, so two PCs' transactions lock the batches they share in the same
order and neither can wait for the other in a circle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import LATEST
from dairy_desktop.domain.fefo import Candidate, FefoKey, Split, fefo_key, split_fefo
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.services.orders_lines import Take
from dairy_desktop.services.orders_request import LineStamps
from dairy_desktop.services.ports import UnitOfWork

# Called with n after the n-th line is written, before the commit: a test's way to fail there.
AfterLine = Callable[[int], None]
SendLine = Callable[[Take, Stamp], Changed | Refused]
# The candidates after a place in FEFO order (None: all) as they are now, enough to cover
# the millilitres still wanted if they can, read in the caller's transaction (its own
# lines included).
Candidates = Callable[[int, FefoKey | None], list[Candidate]]


@dataclass(frozen=True, slots=True)
class LineRefused:
    take: Take
    refused: Refused
    # The refused batch's reservations, read in the same transaction: whose litres they are.
    reservations: tuple[Reservation, ...] = ()


def _refused(uow: UnitOfWork, take: Take, outcome: Refused) -> LineRefused:
    return LineRefused(take, outcome, tuple(uow.reservations.for_batch(take.code)))


def run_lines(
    uow: UnitOfWork,
    takes: Sequence[Take],
    send: SendLine,
    stamps: LineStamps,
    after_line: AfterLine | None = None,
) -> tuple[Changed, ...] | LineRefused:
    """Every chosen line's change, in the order given, or the first line refused (the
    caller then leaves its unit of work without committing, which undoes the lines before
    it). Line n is stamped "R:n" in the order given and sent in FEFO order."""
    keys = {take.code: _lock_key(uow, take.code) for take in takes}
    numbered = sorted(enumerate(takes, start=1), key=lambda pair: keys[pair[1].code])
    done: dict[int, Changed] = {}
    for count, (number, take) in enumerate(numbered, start=1):
        outcome = send(take, stamps.stamp(number))
        if isinstance(outcome, Refused):
            return _refused(uow, take, outcome)
        done[number] = outcome
        if after_line is not None:
            after_line(count)
    return tuple(done[number] for number in sorted(done))


def run_fefo(
    uow: UnitOfWork,
    milliliters: int,
    candidates: Candidates,
    send: SendLine,
    stamps: LineStamps,
    after_line: AfterLine | None = None,
) -> tuple[Changed, ...] | LineRefused | Split:
    """Take `milliliters` first expired first out, planned in the caller's transaction.

    A line the guard refuses (another PC took the litres a moment before: its transaction
    held the row, and this one saw the batch only once that committed) does not end the
    change: what is still wanted is planned again from the batches after it in FEFO order
    and taken from those, so PCs contending for the same first-expiring batch queue on it
    rather than fail. Only when those cannot cover the rest is the first refused line
    returned (the caller rolls back and tells why); the Split of a first plan that cannot
    cover the order, before anything is sent. Lines are stamped "R:1", "R:2", ... as they
    are written."""
    done: list[Changed] = []
    wanted = milliliters
    passed: FefoKey | None = None
    first_refused: LineRefused | None = None
    while wanted > 0:
        pool = candidates(wanted, passed)
        split = split_fefo(wanted, pool)
        if not split.covered:
            # Only the first plan comes before any refusal, and nothing was sent for it.
            return split if first_refused is None else first_refused
        by_code = {c.code: c for c in pool}
        for line in split.lines:
            passed = fefo_key(by_code[line.code])
            take = Take(line.code, line.ml)
            outcome = send(take, stamps.stamp(len(done) + 1))
            if isinstance(outcome, Refused):
                first_refused = first_refused or _refused(uow, take, outcome)
                break
            done.append(outcome)
            wanted -= line.ml
            if after_line is not None:
                after_line(len(done))
    return tuple(done)


def _lock_key(uow: UnitOfWork, code: str) -> FefoKey:
    """Where batch `code` stands in FEFO order (a code no batch has: after every batch)."""
    batch = uow.batches.get_by_code(code)
    if batch is None:
        return (LATEST, LATEST, code)
    return (batch.expires_at, batch.received_at, code)
