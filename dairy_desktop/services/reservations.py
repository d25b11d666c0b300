"""Set litres of one batch aside for an order, let them go, and list what is reserved.

A reservation is a promise the database keeps: only its order may consume those litres
(and draws on them first when it does), no write-off takes them, and no second reserve
can promise them again. One batch per call; orders spanning batches build on these
(services/orders_*).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_reserve, refusal_for_unreserve
from dairy_desktop.services.reused_request_id import same_change_or_refuse


def required_order_id(order_id: str | None) -> str:
    """A reservation is always some order's: an order id is required, in its usual form."""
    order = validate_order_id(order_id)
    if order is None:
        raise InvalidInput(
            "An order id is needed: reserved litres belong to an order (for example "
            "ORDER-20251204-1234). Nothing was changed.",
            field="order",
        )
    return order


def planned_day(planned_for: date | str) -> date:
    """The plant day the order plans to use the milk: a date, or YYYY-MM-DD text."""
    if isinstance(planned_for, datetime):
        raise InvalidInput("The planned day is a date, not a time.", field="planned_for")
    if isinstance(planned_for, date):
        return planned_for
    text = planned_for.strip()
    try:
        if len(text) != 10 or not text.isascii():
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"The planned day {text[:20]!r} is not a date: write it as YYYY-MM-DD, for "
            "example 2025-12-05. Nothing was reserved.",
            field="planned_for",
        ) from None


@logged_action("reserve")
def reserve_once(
    database: Database,
    code: str,
    liters: str | Decimal,
    *,
    order_id: str,
    planned_for: date | str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Reserve `liters` of batch `code` for `order_id`, planned for `planned_for`, in one
    guarded statement audited as `reserve`: the batch must be consumable and that much
    not reserved already (RuleRefused, exit 5, naming the orders holding it). Adds to the
    order's reservation on the batch (and moves its planned day). A request id already
    recorded changes nothing (replayed)."""
    at = as_utc(now) if now else utc_now()
    amount = parse_liters(liters)
    order = required_order_id(order_id)
    day = planned_day(planned_for)
    code = code.strip()
    milliliters = to_milliliters(amount)
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = uow.changes.reserve(
            code,
            milliliters,
            order_id=order,
            planned_for=day,
            expected_version=expected_version,
            stamp=actor.stamp(at),
        )
        if isinstance(outcome, Refused):
            raise refusal_for_reserve(
                outcome.current,
                code,
                liters=amount,
                order_id=order,
                expected_version=expected_version,
                now=outcome.at,
                reservations=uow.reservations.for_batch(code),
            )
        uow.commit()
    return same_change_or_refuse(
        outcome,
        AuditAction.RESERVE,
        code,
        liters_ml=milliliters,
        order_id=order,
        reserved_for=day,
    )


@logged_action("unreserve")
def unreserve_once(
    database: Database,
    code: str,
    *,
    order_id: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Let all of `order_id`'s reservation on batch `code` go (whatever the batch's status:
    held or expired milk's reservation can always be released), audited as `unreserve`
    with the litres released. RuleRefused (exit 5) when the order holds none there."""
    at = as_utc(now) if now else utc_now()
    order = required_order_id(order_id)
    code = code.strip()
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = uow.changes.unreserve(
            code, order_id=order, expected_version=expected_version, stamp=actor.stamp(at)
        )
        if isinstance(outcome, Refused):
            raise refusal_for_unreserve(
                outcome.current, code, order_id=order, expected_version=expected_version
            )
        uow.commit()
    return same_change_or_refuse(outcome, AuditAction.UNRESERVE, code, order_id=order)


def list_reservations(database: Database, order_id: str | None = None) -> list[Reservation]:
    """Every reservation (or one order's), first-expiring batch first."""
    order = validate_order_id(order_id)
    with database.unit_of_work() as uow:
        if order is None:
            return uow.reservations.all()
        return uow.reservations.for_order(order)
