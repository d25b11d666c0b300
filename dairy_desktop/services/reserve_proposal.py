"""Where a reservation's litres would come from, before it is made: FEFO over the batches
still in date when the planned plant day is over (services.orders_reserve's own plan), for
a window to show before the operator reserves. Writes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.services.orders_pick import OrderPick, decision_time, require_order_id
from dairy_desktop.services.orders_reserve import parse_planned_day, reserve_plan_in
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database


def reserve_proposal(
    database: Database,
    order_id: str,
    liters: str | Decimal,
    planned_for: str | date,
    *,
    now: datetime | None = None,
) -> OrderPick:
    """The plan `reserve_for_order` would follow now (its short_by when stock is short)."""
    order = require_order_id(order_id)
    milliliters = to_milliliters(parse_liters(liters))
    day = parse_planned_day(planned_for)
    now = decision_time(database, now)
    with database.unit_of_work() as uow:
        zone = settings_from(uow.settings.all()).zone
        return reserve_plan_in(uow, order, milliliters, day, now, zone)
