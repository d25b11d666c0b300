"""Take an order's litres from one or more batches in ONE transaction: all or nothing.

Each line is the guarded consume every other path uses (uow.changes.consume), so a line
is refused exactly when a single consume would be. FEFO plans inside the transaction and,
when another PC took a batch's litres first, takes the rest from the next batches
(services/orders_run.py). Chosen lines are taken as chosen or not at all. Whatever cannot
be done rolls every line back: the order gets a new proposal (exit 3) or, when the stock
cannot cover it any more, the shortfall (exit 5), never half its milk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.fefo import Split
from dairy_desktop.domain.liters import from_milliliters, parse_liters, to_milliliters
from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.orders_lines import ChosenLine, Take, chosen_takes
from dairy_desktop.services.orders_pick import (
    OrderPick,
    candidates_in,
    decision_time,
    pick_for_order,
    require_order_id,
)
from dairy_desktop.services.orders_refusals import line_refused, short_stock
from dairy_desktop.services.orders_request import LineStamps, recorded_lines, shared_request_id
from dairy_desktop.services.orders_run import AfterLine, LineRefused, run_fefo, run_lines
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_consume


@dataclass(frozen=True, slots=True)
class OrderConsumed:
    """What a consume for an order did: one change per batch, under one request id."""

    order_id: str
    wanted_ml: int
    request_id: str
    lines: tuple[Changed, ...]
    # The request id was recorded already: nothing changed, these are the first results.
    replayed: bool = False

    @property
    def liters(self) -> Decimal:
        return from_milliliters(self.wanted_ml)


@logged_action("consume for order")
def consume_for_order(
    database: Database,
    order_id: str,
    liters: str | Decimal,
    *,
    actor: Actor,
    lines: Sequence[ChosenLine] | None = None,
    now: datetime | None = None,
    after_line: AfterLine | None = None,
) -> OrderConsumed:
    """Take `liters` for `order_id`: FEFO's proposal (`lines` None) or the chosen lines, in
    one transaction. `now` is the PC's time (PostgreSQL's own clock decides expiry there).

    Refusals: bad input (2); a chosen batch that does not exist (4); stock that cannot
    cover the order, or a chosen batch whose litres are reserved for other orders (5); any
    other refused chosen line (changed since the version seen, held, expired, not enough
    left) rolls the lot back and raises PlanNoLongerHolds (3) carrying the new proposal.
    A request id sent again replays every line.
    """
    order = require_order_id(order_id)
    wanted_ml = to_milliliters(parse_liters(liters))
    chosen = None if lines is None else chosen_takes(lines, wanted_ml)
    request_id = shared_request_id(actor)
    now = decision_time(database, now)
    stamps = LineStamps(actor, request_id, now)
    with database.unit_of_work(write=True) as uow:
        replay = recorded_lines(uow, request_id, AuditAction.CONSUME, order, total_ml=wanted_ml)
        if replay:
            return OrderConsumed(order, wanted_ml, request_id, replay, replayed=True)

        def send(take: Take, stamp: Stamp) -> Changed | Refused:
            return uow.changes.consume(
                take.code,
                take.ml,
                expected_version=take.expected_version,
                order_id=order,
                stamp=stamp,
            )

        if chosen is None:
            outcome = run_fefo(
                uow,
                wanted_ml,
                lambda ml, after: candidates_in(uow, order, now, covering_ml=ml, after=after),
                send,
                stamps,
                after_line,
            )
            if isinstance(outcome, Split):
                plan = OrderPick(order, wanted_ml, outcome.lines, outcome.short_by_ml, now)
                raise short_stock(plan, verb="consumed")
        else:
            outcome = run_lines(uow, chosen, send, stamps, after_line)
        if not isinstance(outcome, LineRefused):
            uow.commit()
            return OrderConsumed(order, wanted_ml, request_id, outcome)
    # Rolled back: the new proposal is read afresh, at the instant the guard refused.
    raise line_refused(
        outcome,
        verb="consumed",
        explain=lambda current, take, at, held: refusal_for_consume(
            current,
            take.code,
            liters=take.liters,
            expected_version=None,
            now=at,
            order_id=order,
            reservations=held,
        ),
        repropose=lambda at: pick_for_order(database, order, from_milliliters(wanted_ml), now=at),
        chosen=chosen is not None,
    )
