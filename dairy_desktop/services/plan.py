"""The production plan (`plan`, the Planning window, the sheet's chart): plain values out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dairy_desktop.db.database import Database as StoredDatabase
from dairy_desktop.db.plan_queries import plan_totals
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.domain.plan import (
    DEFAULT_PLAN_DAYS,
    Plan,
    PlanLot,
    build_plan,
    day_starts,
    plan_of_totals,
)
from dairy_desktop.domain.plan import validate_plan_days as validate_plan_days
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database


def load_plan(
    database: Database, *, days: int = DEFAULT_PLAN_DAYS, now: datetime | None = None
) -> Plan:
    """Today (the plant's calendar) to today + `days`: the litres expiring each day.

    `now` is the moment the plan is made (the database server's time where it has one):
    what has expired by then is not planned. A stored database adds the litres up itself;
    an in-memory one (tests' fakes) is read whole and added up here, by the same rules.
    """
    days = validate_plan_days(days)
    now = as_utc(now) if now else utc_now()
    with database.unit_of_work() as uow:
        settings = settings_from(uow.settings.all())
        zone = settings.zone
        first_day = now.astimezone(zone).date()
        if isinstance(database, StoredDatabase):
            starts = day_starts(first_day, days, zone)
            totals = plan_totals(uow.connection, after=now, day_starts=starts)  # type: ignore[attr-defined]
            return plan_of_totals(totals, first_day=first_day, zone=zone)
        batches = uow.batches.by_expiry(include_deleted=False)
    return build_plan(
        (PlanLot.of(batch) for batch in batches),
        first_day=first_day,
        days=days,
        zone=zone,
        after=now,
    )


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON contract of `plan --json`: litres as exact "0.000" strings, fat % a string
    or null, held / awaiting-QA counts after the batch count."""
    return {
        "today": plan.first_day.isoformat(),
        "time_zone": plan.time_zone,
        "days": [
            {
                "date": day.day.isoformat(),
                "available_liters": format_liters(day.available_liters),
                "reserved_liters": format_liters(day.reserved_liters),
                "fat_percent": None if day.fat_percent is None else f"{day.fat_percent:f}",
                "batches": day.batches,
                "on_hold_batches": day.on_hold,
                "awaiting_qa_batches": day.awaiting_qa,
            }
            for day in plan.days
        ],
    }
