"""The plan read from both databases: each counted batch on its expiry day, once."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.plan import PlanDay, PlanLot, build_plan
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.holds import hold_once, recall_once
from dairy_desktop.services.lifecycle import delete_once
from dairy_desktop.services.plan import load_plan, plan_to_dict
from dairy_desktop.services.plant_settings import update_plant_settings
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reservations import reserve_once
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


def test_reserved_litres_are_reserved_in_the_plan_and_the_rest_available(
    database: Database,
) -> None:
    now = datetime.now(UTC)
    _plant(database)
    batch = _register(database, "SCH-20251204-0001", "1000", 2, now - timedelta(hours=1), "3.5")
    reserve_once(
        database,
        batch.code,
        "250.5",
        order_id="ORDER-20251204-0001",
        planned_for=_day_of(batch),
        actor=ANN,
    )
    reserve_once(
        database,
        batch.code,
        "100",
        order_id="ORDER-20251204-0002",
        planned_for=_day_of(batch),
        actor=ANN,
    )
    hold_once(database, batch.code, reason="lab re-test", actor=ANN)

    day = _by_day(load_plan(database, days=3, now=now).days)[_day_of(batch)]

    assert (day.available_ml, day.reserved_ml) == (649_500, 350_500)
    assert (day.batches, day.on_hold) == (1, 1)


def test_the_databases_sums_match_the_plans_own_arithmetic(database: Database) -> None:
    """The stored database adds up in SQL; the same batches added up by domain.plan agree."""
    now = datetime.now(UTC)
    rng = random.Random(20251204)
    _plant(database)
    codes = []
    for number in range(60):
        received = now - timedelta(minutes=rng.randrange(1, 60 * 24 * 3))
        liters = f"{rng.randrange(1, 5_000_000) / 1000:.3f}"
        fat = rng.choice([None, "3.20", "3.55", "4.10"])
        batch = _register(
            database, f"SCH-20251204-{number:04d}", liters, rng.randint(1, 9), received, fat
        )
        codes.append(batch)
    for batch in rng.sample(codes, 20):
        if batch.expires_at > now:
            reserve_once(
                database,
                batch.code,
                f"{batch.remaining_ml * rng.randint(1, 100) // 100 / 1000 or 0.001:.3f}",
                order_id=f"ORDER-20251204-{batch.code[-4:]}",
                planned_for=_day_of(batch),
                actor=ANN,
            )
    for batch in rng.sample(codes, 6):
        hold_once(database, batch.code, reason="lab re-test", actor=ANN)
    for batch in rng.sample(codes, 4):
        delete_once(database, batch.code, reason="typed twice", actor=ANN)

    stored = load_plan(database, days=10, now=now)

    with database.unit_of_work() as uow:
        everything = uow.batches.by_expiry(include_deleted=True)
    added_here = build_plan(
        (PlanLot.of(b) for b in everything),
        first_day=now.astimezone(BERLIN).date(),
        days=10,
        zone=BERLIN,
        after=now,
    )
    assert stored == added_here
    assert sum(d.reserved_ml for d in stored.days) > 0
    assert sum(d.on_hold for d in stored.days) > 0
