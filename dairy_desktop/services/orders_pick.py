"""Where an order's litres should come from: FEFO over the batches it may take from.

Writes nothing. The litres a batch can give an order are its remaining litres less what
other orders have reserved on it: the order's own reservation is its to take.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from dairy_desktop.domain.allowances import can_consume
from dairy_desktop.domain.batch import MAX_SHELF_LIFE_DAYS, Batch
from dairy_desktop.domain.clock import LATEST, as_utc, utc_now
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.fefo import (
    Candidate,
    FefoKey,
    PickLine,
    fefo_key,
    fefo_order,
    split_fefo,
)
from dairy_desktop.domain.liters import from_milliliters, parse_liters, to_milliliters
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database, UnitOfWork

# Later than any batch can expire (received at most LATEST, kept at most the longest shelf
# life): "every consumable batch" as a horizon for the repository's planning query.
_NO_HORIZON = LATEST + timedelta(days=MAX_SHELF_LIFE_DAYS + 1)
# The first window of expiries a plan reads (services.orders_pick.candidates_in).
_FIRST_WINDOW = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class OrderPick:
    """FEFO's proposal for one order at instant `as_of`: the lines, and what the stock the
    order may take could not cover (0 when it covers the order)."""

    order_id: str
    wanted_ml: int
    lines: tuple[PickLine, ...]
    short_by_ml: int
    as_of: datetime

    @property
    def liters(self) -> Decimal:
        return from_milliliters(self.wanted_ml)

    @property
    def short_by(self) -> Decimal:
        return from_milliliters(self.short_by_ml)

    @property
    def covered(self) -> bool:
        return self.short_by_ml == 0


def require_order_id(order_id: str | None) -> str:
    """The order id as stored; refused when missing (an order's plan needs its order)."""
    order = validate_order_id(order_id)
    if order is None:
        raise InvalidInput(
            "Order id is missing: give the order the litres are for, e.g. ORDER-20251204-1234.",
            field="order",
        )
    return order


def decision_time(database: Database, now: datetime | None) -> datetime:
    """`now` as given (a test's clock, a window's), else the clock that decides expiry:
    the database server's on PostgreSQL, this PC's on SQLite."""
    if now is not None:
        return as_utc(now)
    return database.server_now() or utc_now()


def own_reservations(uow: UnitOfWork, order_id: str | None) -> dict[str, int]:
    """Millilitres the order has reserved, by batch code (none without an order)."""
    if order_id is None:
        return {}
    return {r.batch_code: r.reserved_ml for r in uow.reservations.for_order(order_id)}


def candidates_in(
    uow: UnitOfWork,
    order_id: str | None,
    now: datetime,
    *,
    in_date_until: datetime | None = None,
    covering_ml: int | None = None,
    after: FefoKey | None = None,
) -> list[Candidate]:
    """The batches consumable at `now` (domain.allowances), FEFO first, each with what it can
    give `order_id`; `in_date_until`: only those still in date then (a reservation's day);
    `after`: only those after that place in FEFO order.

    `covering_ml`: only the first-expiring ones, enough to cover that much if the stock can
    (and every batch the order has reserved litres on, which it takes first). They are read
    a window of expiries at a time, each four times the last: an order is mostly covered by
    the first few batches, and reading every consumable batch of a large plant (44,000 of
    100,000) costs seconds. The window holds every batch that expires before its end, so
    what it holds is exactly the start of the FEFO order."""
    settings = settings_from(uow.settings.all())
    own = own_reservations(uow, order_id)

    def usable(batch: Batch) -> Candidate | None:
        if not can_consume(batch.status(now, settings.zone)):
            return None
        if in_date_until is not None and batch.expires_at < in_date_until:
            return None
        mine = own.get(batch.code, 0)
        candidate = Candidate(
            batch.code,
            batch.available_ml + mine,
            batch.expires_at,
            batch.received_at,
            batch.version,
            mine,
        )
        return candidate if after is None or fefo_key(candidate) > after else None

    start = now if in_date_until is None else max(now, in_date_until)
    window = _FIRST_WINDOW
    while True:
        horizon = _NO_HORIZON if covering_ml is None else min(start + window, _NO_HORIZON)
        found = [
            c for b in uow.batches.usable_expiring_before(horizon, now=now) if (c := usable(b))
        ]
        # The order's own reservations beyond the window: it takes those first.
        read = {c.code for c in found}
        beyond = [
            c
            for code in sorted(own.keys() - read)
            if (b := uow.batches.get_by_code(code)) is not None and (c := usable(b))
        ]
        pool = found + beyond
        if covering_ml is None or horizon >= _NO_HORIZON:
            return fefo_order(pool)
        # Own litres anywhere, and free litres only where every earlier batch was read.
        coverable = sum(c.own_ml for c in pool) + sum(c.available_ml - c.own_ml for c in found)
        if coverable >= covering_ml:
            return fefo_order(pool)
        window *= 4


def plan_in(uow: UnitOfWork, order_id: str, milliliters: int, now: datetime) -> OrderPick:
    """FEFO's proposal read inside `uow` (so a change can follow it in the same transaction)."""
    found = candidates_in(uow, order_id, now, covering_ml=milliliters)
    split = split_fefo(milliliters, found)
    return OrderPick(order_id, milliliters, split.lines, split.short_by_ml, now)


def pick_for_order(
    database: Database, order_id: str, liters: str | Decimal, *, now: datetime | None = None
) -> OrderPick:
    """Propose where `liters` for `order_id` should come from; writes nothing."""
    order = require_order_id(order_id)
    milliliters = to_milliliters(parse_liters(liters))
    now = decision_time(database, now)
    with database.unit_of_work() as uow:
        return plan_in(uow, order, milliliters, now)


def candidates_for_order(
    database: Database, order_id: str | None, *, now: datetime | None = None
) -> list[Candidate]:
    """Every batch the order (None: a consume for no order) may take from now, FEFO first:
    what a window editing the split shows, and warns about with
    domain.fefo.earlier_batch_with_enough."""
    order = validate_order_id(order_id)
    now = decision_time(database, now)
    with database.unit_of_work() as uow:
        return candidates_in(uow, order, now)
