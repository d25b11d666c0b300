"""The plan's arithmetic: litres per plant day, exact, each batch once, DST days included."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.plan import (
    MAX_PLAN_DAYS,
    Plan,
    PlanLot,
    build_plan,
    validate_plan_days,
    weighted_fat,
)
from dairy_desktop.domain.qa import QaState
from tests.support.factories import make_batch

BERLIN = ZoneInfo("Europe/Berlin")
# 2025-10-25 12:00 Berlin (CEST); the clocks go back the next night, forward on 2026-03-29.
NOW = datetime(2025, 10, 25, 10, 0, tzinfo=UTC)
TODAY = date(2025, 10, 25)


def lot(expires_at: datetime, ml: int = 1_000_000, **values: Any) -> PlanLot:
    return PlanLot(code=f"B{expires_at:%m%d%H%M}", expires_at=expires_at, remaining_ml=ml, **values)


def plan_of(lots: list[PlanLot], days: int = 7, after: datetime = NOW, first: date = TODAY) -> Plan:
    return build_plan(lots, first_day=first, days=days, zone=BERLIN, after=after)


def test_each_day_sums_its_batches_available_and_reserved() -> None:
    tomorrow_noon = NOW + timedelta(days=1)
    lots = [
        lot(tomorrow_noon, 1_000_000, reserved_ml=250_000, fat_centi=300),
        lot(tomorrow_noon + timedelta(hours=2), 3_000_000, fat_centi=400),
        lot(NOW + timedelta(hours=1), 500, fat_centi=None),
    ]

    plan = plan_of(lots, days=2)

    today, tomorrow, after = plan.days
    assert (today.day, today.available_ml, today.reserved_ml, today.batches) == (TODAY, 500, 0, 1)
    assert today.fat_percent is None  # its only batch has no fat %
    assert tomorrow.available_ml == 3_750_000
    assert tomorrow.reserved_ml == 250_000
    assert tomorrow.fat_percent == Decimal("3.75")  # (1 × 3.00 + 3 × 4.00) / 4
    assert tomorrow.batches == 2
    assert (after.available_ml, after.reserved_ml, after.batches) == (0, 0, 0)
    assert after.fat_percent is None


def test_gone_and_refused_milk_is_left_out_held_and_pending_counted_as_such() -> None:
    at = NOW + timedelta(days=1)
    lots = [
        lot(at, deleted=True),
        lot(at, 0),
        lot(at, recalled=True),
        lot(at, qa_state=QaState.REJECTED),
        lot(at, 2_000, held=True),
        lot(at, 3_000, qa_state=QaState.PENDING),
        lot(at, 5_000),
    ]

    day = plan_of(lots, days=1).days[1]

    assert (day.batches, day.available_ml, day.on_hold, day.awaiting_qa) == (3, 10_000, 1, 1)


def test_milk_expired_by_the_plans_moment_is_not_planned() -> None:
    lots = [lot(NOW - timedelta(minutes=1)), lot(NOW), lot(NOW + timedelta(minutes=1), 7)]

    today = plan_of(lots, days=0).days[0]

    assert (today.batches, today.available_ml) == (1, 7)


def test_the_dst_days_are_23_and_25_hours_long() -> None:
    # 2025-10-26 is 25 h long in Berlin: 00:00 CEST (22:00 UTC) to 24:00 CET (23:00 UTC).
    lots = [
        lot(datetime(2025, 10, 25, 21, 59, tzinfo=UTC), 1),  # 23:59 CEST on the 25th
        lot(datetime(2025, 10, 25, 22, 0, tzinfo=UTC), 10),  # 00:00 on the 26th
        lot(datetime(2025, 10, 26, 22, 59, tzinfo=UTC), 100),  # 23:59 CET on the 26th
        lot(datetime(2025, 10, 26, 23, 0, tzinfo=UTC), 1_000),  # 00:00 on the 27th
    ]

    days = plan_of(lots, days=2).days

    assert [d.available_ml for d in days] == [1, 110, 1_000]
    spring = [
        lot(datetime(2026, 3, 28, 22, 59, tzinfo=UTC), 1),  # 23:59 CET on the 28th
        lot(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), 10),  # 00:00 on the 29th (23 h long)
        lot(datetime(2026, 3, 29, 21, 59, tzinfo=UTC), 100),  # 23:59 CEST on the 29th
        lot(datetime(2026, 3, 29, 22, 0, tzinfo=UTC), 1_000),  # 00:00 on the 30th
    ]
    start = datetime(2026, 3, 28, 11, 0, tzinfo=UTC)

    days = plan_of(spring, days=2, after=start, first=date(2026, 3, 28)).days

    assert [d.available_ml for d in days] == [1, 110, 1_000]


def test_days_outside_the_window_are_left_out() -> None:
    lots = [lot(NOW + timedelta(days=3, hours=1)), lot(NOW + timedelta(days=2))]

    plan = plan_of(lots, days=2)

    assert [d.batches for d in plan.days] == [0, 0, 1]
    assert len(plan.days) == 3


def test_plan_days_are_checked() -> None:
    assert validate_plan_days("0") == 0
    assert validate_plan_days(MAX_PLAN_DAYS) == MAX_PLAN_DAYS
    for bad in (-1, MAX_PLAN_DAYS + 1, "seven", "1.5"):
        with pytest.raises(InvalidInput, match="--days"):
            validate_plan_days(bad)


def test_a_plan_made_from_a_batch_keeps_its_reserved_litres_and_statuses() -> None:
    batch = make_batch("B-1", NOW + timedelta(days=1), remaining_ml=9_000, held_at=NOW)

    made = PlanLot.of(replace(batch, reserved_ml=4_000))

    assert (made.remaining_ml, made.reserved_ml, made.held, made.fat_centi) == (
        9_000,
        4_000,
        True,
        350,
    )


def test_the_weighted_fat_rounds_half_to_even_exactly() -> None:
    assert weighted_fat([(1, 1), (1, 2)]) == Decimal("0.02")  # 1.5 hundredths -> 2
    assert weighted_fat([(1, 2), (1, 3)]) == Decimal("0.02")  # 2.5 hundredths -> 2
    assert weighted_fat([(1, 3), (1, 4)]) == Decimal("0.04")  # 3.5 hundredths -> 4
    assert weighted_fat([]) is None


# --- hypothesis: the arithmetic for any stock --------------------------------------------
_instants = st.integers(min_value=-2 * 24 * 60, max_value=12 * 24 * 60).map(
    lambda minutes: NOW + timedelta(minutes=minutes)
)
_lots = st.builds(
    lambda at, ml, reserved_share, fat, deleted, qa, held, recalled, number: PlanLot(
        code=f"L{number}",
        expires_at=at,
        remaining_ml=ml,
        reserved_ml=ml * reserved_share // 100,
        fat_centi=fat,
        deleted=deleted,
        qa_state=qa,
        held=held,
        recalled=recalled,
    ),
    _instants,
    st.integers(min_value=0, max_value=30_000_000),
    st.integers(min_value=0, max_value=100),
    st.none() | st.integers(min_value=0, max_value=10_000),
    st.booleans(),
    st.sampled_from(list(QaState)),
    st.booleans(),
    st.booleans(),
    st.integers(min_value=0, max_value=10**6),
)
_zones = st.sampled_from([BERLIN, ZoneInfo("UTC"), ZoneInfo("America/New_York")])


@settings(max_examples=200, deadline=None)
@given(
    lots=st.lists(_lots, max_size=40),
    days=st.integers(min_value=0, max_value=10),
    zone=_zones,
    start=st.integers(min_value=-36, max_value=36).map(lambda h: NOW + timedelta(hours=h)),
)
def test_every_counted_batch_is_on_exactly_its_expiry_day_and_sums_match(
    lots: list[PlanLot], days: int, zone: ZoneInfo, start: datetime
) -> None:
    first = start.astimezone(zone).date()
    plan = build_plan(lots, first_day=first, days=days, zone=zone, after=start)

    assert [d.day for d in plan.days] == [first + timedelta(days=i) for i in range(days + 1)]
    expected: dict[date, list[PlanLot]] = {d.day: [] for d in plan.days}
    for each in lots:
        local_day = each.expires_at.astimezone(zone).date()
        if each.counted and each.expires_at > start and local_day in expected:
            expected[local_day].append(each)
    for day in plan.days:
        members = expected[day.day]
        assert day.batches == len(members)
        assert day.reserved_ml == sum(m.reserved_ml for m in members)
        assert day.available_ml == sum(m.remaining_ml - m.reserved_ml for m in members)
        assert day.on_hold == sum(m.held for m in members)
        with_fat = [m for m in members if m.fat_centi is not None and m.remaining_ml > 0]
        if not with_fat:
            assert day.fat_percent is None
        else:
            assert day.fat_percent is not None
            fats = [(m.remaining_ml, m.fat_centi or 0) for m in with_fat]
            low, high = min(f for _, f in fats), max(f for _, f in fats)
            assert Decimal(low) / 100 <= day.fat_percent <= Decimal(high) / 100
            exact = Decimal(sum(ml * f for ml, f in fats)) / Decimal(sum(ml for ml, _ in fats))
            assert abs(day.fat_percent * 100 - exact) <= Decimal("0.5")
    counted = sum(len(members) for members in expected.values())
    assert sum(d.batches for d in plan.days) == counted
    assert plan.total_ml == sum(m.remaining_ml for ms in expected.values() for m in ms)
    assert plan.largest_ml == max((d.remaining_ml for d in plan.days), default=0)
