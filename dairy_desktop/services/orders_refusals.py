"""Why a change for an order was refused at one of its batches, told with what to do next.

The database guard decided and the transaction is rolled back. A line FEFO proposed, or one
sent with the version the operator saw, was refused because the stock moved under the plan
(changed, held, expired, taken): the plan no longer holds (exit 3) and a new one comes
with the refusal, or the shortfall (exit 5) when the stock can no longer cover the order.
A batch chosen by name is refused as a single change would be when it does not exist
(exit 4) or its litres are other orders' reservations (exit 5).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from dairy_desktop.domain.allowances import can_consume
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    DairyError,
    NotEnoughStock,
    PlanNoLongerHolds,
    VersionConflict,
)
from dairy_desktop.domain.liters import format_liters, from_milliliters
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.services.orders_lines import Take
from dairy_desktop.services.orders_pick import OrderPick
from dairy_desktop.services.orders_run import LineRefused

# The single-batch refusal for a line: the batch as it is now (None: no such code), the
# line, the guard's instant and the batch's reservations.
Explain = Callable[[Batch | None, Take, datetime, Sequence[Reservation]], DairyError]
# The plan the stock allows at an instant, read afresh.
Repropose = Callable[[datetime], OrderPick]


def line_refused(
    refusal: LineRefused,
    *,
    verb: str,
    explain: Explain,
    repropose: Repropose,
    chosen: bool,
) -> DairyError:
    """The refusal to raise for `refusal` (`verb`: "consumed", "reserved"); `chosen`: the
    lines were chosen by the operator rather than proposed by FEFO."""
    take, current, at = refusal.take, refusal.refused.current, refusal.refused.at
    if current is None:  # a batch chosen by a code no batch has
        return explain(None, take, at, ())
    consumable = can_consume(current.status(at, UTC))
    seen = take.expected_version
    why = (
        VersionConflict(seen, current)
        if consumable and seen is not None and seen != current.version
        else explain(current, take, at, refusal.reservations)
    )
    # Consumable, as many litres left as asked, the version not in question: the litres
    # are other orders' reservations. Chosen by name that is the operator's choice, refused
    # as a single change would be; FEFO never proposes them, so there it was a race.
    reserved_for_others = consumable and current.remaining_ml >= take.ml
    if reserved_for_others and chosen and seen is None:
        return why
    proposal = repropose(at)
    order = proposal.order_id
    reason = str(why).removesuffix(f" Nothing was {verb}.").rstrip(".")
    refused = f"batch {take.code} refused its {format_liters(take.liters)} L ({reason})"
    if not proposal.covered:
        return short_stock(proposal, verb=verb, because=refused)
    return PlanNoLongerHolds(
        f"Nothing was {verb} for {order}: {refused}. The new proposal is "
        f"{describe_lines(proposal)}; check it and send it again.",
        proposal,
    )


def short_stock(
    plan: OrderPick, *, verb: str, because: str | None = None, batches: str = "batches"
) -> NotEnoughStock[OrderPick]:
    """The stock `plan` was read from cannot cover its order; `batches` says which."""
    have = format_liters(from_milliliters(plan.wanted_ml - plan.short_by_ml))
    short = f"short by {format_liters(plan.short_by)} L"
    if because is not None:
        message = (
            f"Nothing was {verb} for {plan.order_id}: {because}, and the {batches} it may use "
            f"now have only {have} L available of the {format_liters(plan.liters)} L asked "
            f"({short})."
        )
    else:
        message = (
            f"Cannot take {format_liters(plan.liters)} L for {plan.order_id}: the {batches} it "
            f"may use have only {have} L available ({short}). Nothing was {verb}."
        )
    return NotEnoughStock(message, plan)


def describe_lines(plan: OrderPick) -> str:
    """ "SCH-…-0001 10.000 L, SCH-…-0002 5.000 L": a proposal in one line of text."""
    if not plan.lines:
        return "no batch"
    return ", ".join(f"{line.code} {format_liters(line.liters)} L" for line in plan.lines)
