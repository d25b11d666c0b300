"""Set litres aside for an order across batches, and let them go: one transaction each.

A reservation is for a plant day: FEFO proposes only batches still in date when that day is
over, and never litres other orders have reserved. Batches chosen by name may be at risk
(expiring before the day is over): they are reserved as chosen, and the result says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.fefo import Split, split_fefo
from dairy_desktop.domain.liters import from_milliliters, parse_liters, to_milliliters
from dairy_desktop.domain.reservation_risk import end_of_plant_day, risk_of
from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.domain.text import quoted
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.orders_lines import ChosenLine, Take, chosen_takes
from dairy_desktop.services.orders_pick import (
    OrderPick,
    candidates_in,
    decision_time,
    require_order_id,
)
from dairy_desktop.services.orders_refusals import line_refused, short_stock
from dairy_desktop.services.orders_request import LineStamps, recorded_lines, shared_request_id
from dairy_desktop.services.orders_run import AfterLine, LineRefused, run_fefo, run_lines
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database, UnitOfWork
from dairy_desktop.services.refusals import refusal_for_reserve

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


@dataclass(frozen=True, slots=True)
class ReservedLine:
    """One batch's reservation change, and why it may not last until the day (None: it
    will, as far as the batch can tell now)."""

    changed: Changed
    risk: str | None

    @property
    def at_risk(self) -> bool:
        return self.risk is not None


@dataclass(frozen=True, slots=True)
class OrderReserved:
    order_id: str
    wanted_ml: int
    planned_for: date
    request_id: str
    lines: tuple[ReservedLine, ...]
    replayed: bool = False

    @property
    def liters(self) -> Decimal:
        return from_milliliters(self.wanted_ml)


def parse_planned_day(value: str | date) -> date:
    """A plant day as YYYY-MM-DD (or a date), else InvalidInput."""
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"Day {quoted(text)} is not a date as YYYY-MM-DD, e.g. 2025-12-04.", field="for"
        ) from None


def _not_before_today(day: date, now: datetime, zone: tzinfo) -> date:
    today = now.astimezone(zone).date()
    if day < today:
        raise InvalidInput(
            f"Day {day} is before today ({today} at the plant); milk is reserved for today "
            "or a later day.",
            field="for",
        )
    return day


def reserve_plan_in(
    uow: UnitOfWork, order_id: str, milliliters: int, day: date, now: datetime, zone: tzinfo
) -> OrderPick:
    """FEFO over the batches consumable now and still in date when `day` is over, each with
    the litres nobody has reserved (the order's own reservations are its already)."""
    lasting = candidates_in(
        uow, None, now, in_date_until=end_of_plant_day(day, zone), covering_ml=milliliters
    )
    split = split_fefo(milliliters, lasting)
    return OrderPick(order_id, milliliters, split.lines, split.short_by_ml, now)


@logged_action("reserve for order")
def reserve_for_order(
    database: Database,
    order_id: str,
    liters: str | Decimal,
    planned_for: str | date,
    *,
    actor: Actor,
    lines: Sequence[ChosenLine] | None = None,
    now: datetime | None = None,
    after_line: AfterLine | None = None,
) -> OrderReserved:
    """Reserve `liters` for `order_id` to use on plant day `planned_for`, FEFO (`lines`
    None) or as chosen, in one transaction. Refusals as consume_for_order's: bad input (2;
    a day before today too), a chosen batch that does not exist (4), not enough (5), a plan
    that no longer holds (3, with the new one). A request id sent again replays every line.
    """
    order = require_order_id(order_id)
    wanted_ml = to_milliliters(parse_liters(liters))
    day = parse_planned_day(planned_for)
    chosen = None if lines is None else chosen_takes(lines, wanted_ml)
    request_id = shared_request_id(actor)
    now = decision_time(database, now)
    stamps = LineStamps(actor, request_id, now)
    with database.unit_of_work(write=True) as uow:
        zone = settings_from(uow.settings.all()).zone
        replay = recorded_lines(uow, request_id, AuditAction.RESERVE, order, total_ml=wanted_ml)
        if replay:
            lines_now = _with_risk(replay, day, now, zone)
            return OrderReserved(order, wanted_ml, day, request_id, lines_now, replayed=True)
        _not_before_today(day, now, zone)

        def send(take: Take, stamp: Stamp) -> Changed | Refused:
            return uow.changes.reserve(
                take.code,
                take.ml,
                order_id=order,
                planned_for=day,
                expected_version=take.expected_version,
                stamp=stamp,
            )

        if chosen is None:
            lasting = end_of_plant_day(day, zone)
            outcome = run_fefo(
                uow,
                wanted_ml,
                lambda ml, after: candidates_in(
                    uow, None, now, in_date_until=lasting, covering_ml=ml, after=after
                ),
                send,
                stamps,
                after_line,
            )
            if isinstance(outcome, Split):
                plan = OrderPick(order, wanted_ml, outcome.lines, outcome.short_by_ml, now)
                raise short_stock(plan, verb="reserved", batches=f"batches in date on {day}")
        else:
            outcome = run_lines(uow, chosen, send, stamps, after_line)
        if not isinstance(outcome, LineRefused):
            uow.commit()
            return OrderReserved(
                order, wanted_ml, day, request_id, _with_risk(outcome, day, now, zone)
            )
    raise line_refused(
        outcome,
        verb="reserved",
        explain=lambda current, take, at, held: refusal_for_reserve(
            current,
            take.code,
            liters=take.liters,
            order_id=order,
            expected_version=None,
            now=at,
            reservations=held,
        ),
        repropose=lambda at: _proposal(database, order, wanted_ml, day, at),
        chosen=chosen is not None,
    )


def _with_risk(
    changes: Sequence[Changed], day: date, now: datetime, zone: tzinfo
) -> tuple[ReservedLine, ...]:
    return tuple(
        ReservedLine(c, risk_of(c.batch.expires_at, c.batch.status(now, zone), day, zone))
        for c in changes
    )


def _proposal(database: Database, order: str, wanted_ml: int, day: date, at: datetime) -> OrderPick:
    with database.unit_of_work() as uow:
        zone = settings_from(uow.settings.all()).zone
        return reserve_plan_in(uow, order, wanted_ml, day, at, zone)
