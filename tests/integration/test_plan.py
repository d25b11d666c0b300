"""The plan read from both databases: each counted batch on its expiry day, once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.plan import PlanDay
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.holds import hold_once, recall_once
from dairy_desktop.services.lifecycle import delete_once
from dairy_desktop.services.plan import load_plan, plan_to_dict
from dairy_desktop.services.plant_settings import update_plant_settings
from dairy_desktop.services.register import register_batch
from tests.integration.helpers import ANN

BERLIN = ZoneInfo("Europe/Berlin")


def _plant(database: Database, *, gate: bool = False) -> None:
    settings = PlantSettings(
        plant_name="Riverside Dairy", time_zone="Europe/Berlin", qa_release_required=gate
    )
    update_plant_settings(database, settings, ANN)


def _register(
    database: Database, code: str, liters: str, days: int, received: datetime, fat: str | None
) -> Batch:
    return register_batch(
        database,
        code=code,
        liters=liters,
        shelf_life_days=days,
        received_at=received,
        fat_percent=fat,
        actor=ANN,
    ).batch


def _day_of(batch: Batch) -> date:
    return batch.expires_at.astimezone(BERLIN).date()


def _by_day(days: tuple[PlanDay, ...]) -> dict[date, PlanDay]:
    return {day.day: day for day in days}


def test_the_plan_counts_each_usable_batch_on_its_expiry_day(database: Database) -> None:
    now = datetime.now(UTC)
    received = now - timedelta(hours=1)
    _plant(database)
    first = _register(database, "SCH-20251204-0001", "1000", 1, received, "3.00")
    second = _register(database, "SCH-20251204-0002", "3000", 1, received, "4.00")
    held = _register(database, "SCH-20251204-0003", "500", 3, received, None)
    recalled = _register(database, "SCH-20251204-0004", "700", 2, received, "3.50")
    deleted = _register(database, "SCH-20251204-0005", "900", 2, received, "3.50")
    far = _register(database, "SCH-20251204-0006", "100", 20, received, "3.50")
    _plant(database, gate=True)
    pending = _register(database, "SCH-20251204-0007", "250", 3, received, "5.00")
    _plant(database)
    hold_once(database, held.code, reason="lab re-test", actor=ANN)
    recall_once(database, recalled.code, reason="supplier recall", actor=ANN)
    delete_once(database, deleted.code, reason="typed twice", actor=ANN)

    plan = load_plan(database, days=7, now=now)

    today = now.astimezone(BERLIN).date()
    assert plan.first_day == today
    assert plan.time_zone == "Europe/Berlin"
    assert [d.day for d in plan.days] == [today + timedelta(days=i) for i in range(8)]
    days = _by_day(plan.days)
    pair = days[_day_of(first)]
    assert _day_of(second) == _day_of(first)
    assert (pair.available_ml, pair.reserved_ml, pair.batches) == (4_000_000, 0, 2)
    assert pair.fat_percent == Decimal("3.75")
    later = days[_day_of(held)]
    assert _day_of(pending) == _day_of(held)
    assert (later.batches, later.on_hold, later.awaiting_qa) == (2, 1, 1)
    assert later.available_ml == 750_000
    assert later.fat_percent == Decimal("5.00")  # the held batch has no fat %: not weighed
    assert sum(d.batches for d in plan.days) == 4  # recalled, deleted and day 20 left out
    assert _day_of(far) not in days


def test_milk_expired_by_now_is_not_planned(database: Database) -> None:
    now = datetime.now(UTC)
    _plant(database)
    _register(database, "SCH-20251204-0001", "1000", 1, now - timedelta(hours=1), "3.50")

    plan = load_plan(database, days=2, now=now + timedelta(days=1))

    assert sum(d.batches for d in plan.days) == 0


def test_the_json_shape(database: Database) -> None:
    now = datetime.now(UTC)
    _plant(database)
    batch = _register(database, "SCH-20251204-0001", "1000.5", 2, now - timedelta(hours=1), "3.5")

    shaped = plan_to_dict(load_plan(database, days=3, now=now))

    assert list(shaped) == ["today", "time_zone", "days"]
    assert shaped["today"] == now.astimezone(BERLIN).date().isoformat()
    (day,) = [d for d in shaped["days"] if d["date"] == _day_of(batch).isoformat()]
    assert day == {
        "date": _day_of(batch).isoformat(),
        "available_liters": "1000.500",
        "reserved_liters": "0.000",
        "fat_percent": "3.50",
        "batches": 1,
        "on_hold_batches": 0,
        "awaiting_qa_batches": 0,
    }


@pytest.mark.parametrize("days", [-1, 61])
def test_a_horizon_out_of_range_is_refused(database: Database, days: int) -> None:
    with pytest.raises(InvalidInput, match="0–60"):
        load_plan(database, days=days)
