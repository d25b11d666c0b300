"""Reservations across batches on both databases: FEFO over the batches still in date when
the planned plant day is over, chosen batches flagged at risk, other orders kept off the
reserved litres, the order's own drawn first, all or nothing, replays, and letting go."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import (
    InvalidInput,
    NotEnoughLeft,
    NotEnoughStock,
    NotFound,
    PlanNoLongerHolds,
    RuleRefused,
)
from dairy_desktop.domain.reservation_risk import end_of_plant_day
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.orders_consume import consume_for_order
from dairy_desktop.services.orders_pick import pick_for_order
from dairy_desktop.services.orders_reserve import reserve_for_order
from dairy_desktop.services.orders_unreserve import reservations_now, unreserve_order
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import register
from tests.integration.lifecycle_stock import put_setting
from tests.integration.orders_stock import ORDER, OTHER_ORDER, actor, code, now, state

# Far from UTC, so a plant day and a UTC day differ by half a day.
ZONE = ZoneInfo("Pacific/Auckland")


def _day(plus_days: int) -> date:
    return now().astimezone(ZONE).date() + timedelta(days=plus_days)


def _expiring_at(database: Database, number: int, liters: str, expires_at: datetime) -> None:
    register(database, code(number), liters, days=5, received=expires_at - timedelta(days=5))


@pytest.fixture
def plant(database: Database) -> Database:
    """Batches around the end of the plant day after tomorrow (D): 0001 expires half an hour
    before D is over, 0002 and 0003 after it."""
    put_setting(database, "time_zone", "Pacific/Auckland")
    day_ends = end_of_plant_day(_day(2), ZONE)
    _expiring_at(database, 1, "40", day_ends - timedelta(minutes=30))
    _expiring_at(database, 2, "50", day_ends + timedelta(minutes=30))
    _expiring_at(database, 3, "100", day_ends + timedelta(hours=5))
    return database


def _lines(reserved: object) -> list[tuple[str, str, bool]]:
    return [
        (line.changed.batch.code, str(line.changed.event.liters), line.at_risk)
        for line in reserved.lines  # type: ignore[attr-defined]
    ]


def test_fefo_reserves_only_milk_still_in_date_when_the_day_is_over(plant: Database) -> None:
    reserved = reserve_for_order(plant, ORDER, "60", _day(2), actor=actor("res-1"))
    assert _lines(reserved) == [(code(2), "50.000", False), (code(3), "10.000", False)]
    assert (reserved.planned_for, reserved.request_id, reserved.replayed) == (
        _day(2),
        "res-1",
        False,
    )
    assert [
        (b.reserved_ml, b.remaining_ml) for b in (get_batch(plant, code(n)) for n in (1, 2, 3))
    ] == [
        (0, 40_000),
        (50_000, 50_000),
        (10_000, 100_000),
    ]
    # A day earlier, the first batch lasts the day, so FEFO takes it first.
    earlier = reserve_for_order(plant, OTHER_ORDER, "45", _day(1), actor=actor())
    assert _lines(earlier) == [(code(1), "40.000", False), (code(3), "5.000", False)]


def test_a_chosen_batch_expiring_before_the_day_is_over_is_reserved_at_risk(
    plant: Database,
) -> None:
    reserved = reserve_for_order(
        plant, ORDER, "30", _day(2), actor=actor(), lines=[(code(1), "20"), (code(2), "10")]
    )
    assert _lines(reserved) == [(code(1), "20.000", True), (code(2), "10.000", False)]
    risk = reserved.lines[0].risk
    assert risk is not None
    assert f"before {_day(2)} is over" in risk
    assert "(Pacific/Auckland)" in risk


def test_other_orders_cannot_take_reserved_litres_and_the_order_draws_its_own_first(
    plant: Database,
) -> None:
    reserve_for_order(plant, ORDER, "140", _day(2), actor=actor())  # all of 0002 and 0003 - 10
    before = state(plant)
    # Another order is proposed only what nobody reserved ...
    other = pick_for_order(plant, OTHER_ORDER, "60")
    assert [(line.code, str(line.liters)) for line in other.lines] == [
        (code(1), "40.000"),
        (code(3), "10.000"),
    ]
    assert str(other.short_by) == "10.000"
    # ... is refused the reserved litres when it names the batch ...
    with pytest.raises(RuleRefused) as refused:
        consume_for_order(plant, OTHER_ORDER, "5", actor=actor(), lines=[(code(2), "5")])
    assert refused.value.exit_code == 5
    assert f"50.000 L of the 50.000 L left are reserved for {ORDER}" in str(refused.value)
    # ... and FEFO cannot cover it without them.
    with pytest.raises(NotEnoughStock):
        consume_for_order(plant, OTHER_ORDER, "60", actor=actor())
    assert state(plant) == before
    # The order itself takes them, its reservation shrinking by what it took.
    mine = pick_for_order(plant, ORDER, "60")
    assert [(line.code, str(line.liters)) for line in mine.lines] == [
        (code(2), "50.000"),
        (code(3), "10.000"),
    ]
    consume_for_order(plant, ORDER, "60", actor=actor(), lines=[(code(2), "50"), (code(3), "10")])
    assert [
        (r.reservation.batch_code, str(r.reservation.liters)) for r in reservations_now(plant)
    ] == [(code(3), "80.000")]
    assert (get_batch(plant, code(2)).remaining_ml, get_batch(plant, code(2)).reserved_ml) == (0, 0)


def test_short_stock_reserves_nothing(plant: Database) -> None:
    before = state(plant)
    with pytest.raises(NotEnoughStock) as refused:
        reserve_for_order(plant, ORDER, "150.5", _day(2), actor=actor())
    assert f"batches in date on {_day(2)}" in str(refused.value)
    assert "short by 0.500 L" in str(refused.value)
    assert state(plant) == before


def test_a_failure_after_the_second_batch_reserves_nothing(plant: Database) -> None:
    before = state(plant)

    def fail_after(count: int) -> None:
        if count == 2:
            raise RuntimeError("the PC lost power")

    lines = [(code(1), "10"), (code(2), "10"), (code(3), "10")]
    with pytest.raises(RuntimeError, match="lost power"):
        reserve_for_order(
            plant, ORDER, "30", _day(1), actor=actor(), lines=lines, after_line=fail_after
        )
    assert state(plant) == before
    assert reservations_now(plant) == []


def test_a_batch_held_since_the_proposal_refuses_the_lot_with_a_new_one(plant: Database) -> None:
    proposal = pick_for_order(plant, ORDER, "60")
    hold_once(plant, code(2), reason="lab query", actor=actor())
    seen = [(line.code, str(line.liters), line.version) for line in proposal.lines]
    with pytest.raises(PlanNoLongerHolds) as refused:
        reserve_for_order(plant, ORDER, "60", _day(1), actor=actor(), lines=seen)
    assert "Nothing was reserved" in str(refused.value)
    assert reservations_now(plant) == []


def test_a_chosen_batch_reserved_for_another_order_is_refused_naming_it(
    plant: Database,
) -> None:
    reserve_for_order(plant, OTHER_ORDER, "45", _day(1), actor=actor(), lines=[(code(2), "45")])
    before = state(plant)
    with pytest.raises(NotEnoughLeft) as refused:
        reserve_for_order(
            plant, ORDER, "15", _day(1), actor=actor(), lines=[(code(3), "5"), (code(2), "10")]
        )
    assert refused.value.exit_code == 5
    assert f"are reserved for {OTHER_ORDER} (5.000 L available)" in str(refused.value)
    assert state(plant) == before


def test_the_same_request_id_replays_the_reservation(plant: Database) -> None:
    first = reserve_for_order(plant, ORDER, "60", _day(2), actor=actor("res-9"))
    after = state(plant)
    again = reserve_for_order(plant, ORDER, "60", _day(2), actor=actor("res-9"))
    assert again.replayed
    assert _lines(again) == _lines(first)
    assert state(plant) == after
    with pytest.raises(InvalidInput, match="already used"):
        consume_for_order(plant, ORDER, "60", actor=actor("res-9"))


def test_unreserve_lets_every_batch_of_the_order_go_at_once(plant: Database) -> None:
    reserve_for_order(plant, ORDER, "60", _day(2), actor=actor())
    reserve_for_order(plant, OTHER_ORDER, "5", _day(2), actor=actor())
    hold_once(plant, code(3), reason="lab query", actor=actor())  # a held batch's goes too
    gone = unreserve_order(plant, ORDER, actor=actor("let-go"))
    assert sorted((c.batch.code, str(c.event.liters)) for c in gone.lines) == [
        (code(2), "50.000"),
        (code(3), "10.000"),
    ]
    assert [r.reservation.order_id for r in reservations_now(plant)] == [OTHER_ORDER]
    assert unreserve_order(plant, ORDER, actor=actor("let-go")).replayed
    with pytest.raises(NotFound, match="has no reservations"):
        unreserve_order(plant, ORDER, actor=actor())


def test_the_listing_flags_held_and_short_lived_batches_at_risk(plant: Database) -> None:
    reserve_for_order(plant, ORDER, "10", _day(2), actor=actor(), lines=[(code(1), "10")])
    reserve_for_order(plant, ORDER, "10", _day(2), actor=actor(), lines=[(code(2), "10")])
    reserve_for_order(plant, OTHER_ORDER, "10", _day(2), actor=actor(), lines=[(code(3), "10")])
    hold_once(plant, code(3), reason="lab query", actor=actor())
    listed = reservations_now(plant)
    assert [(r.reservation.batch_code, r.at_risk, r.status.value) for r in listed] == [
        (code(1), True, "near_expiry"),
        (code(2), False, "near_expiry"),
        (code(3), True, "on_hold"),
    ]
    assert listed[2].risk == "is on hold"
    assert [r.reservation.batch_code for r in reservations_now(plant, order_id=ORDER)] == [
        code(1),
        code(2),
    ]


@pytest.mark.parametrize(
    ("day", "words"),
    [("2025-13-01", "not a date"), ("tomorrow", "not a date"), ("20251204", "not a date")],
)
def test_a_bad_day_reserves_nothing(plant: Database, day: str, words: str) -> None:
    before = state(plant)
    with pytest.raises(InvalidInput, match=words):
        reserve_for_order(plant, ORDER, "1", day, actor=actor())
    assert state(plant) == before


def test_a_day_already_over_at_the_plant_reserves_nothing(plant: Database) -> None:
    before = state(plant)
    with pytest.raises(InvalidInput, match="before today"):
        reserve_for_order(plant, ORDER, "1", _day(-1), actor=actor())
    assert state(plant) == before


def test_consuming_for_the_order_takes_its_reserved_litres_before_earlier_free_milk(
    plant: Database,
) -> None:
    # 0003 (expiring last) holds the order's 30 L; 0001 and 0002 are free and expire first.
    reserve_for_order(plant, ORDER, "30", _day(2), actor=actor(), lines=[(code(3), "30")])
    mine = pick_for_order(plant, ORDER, "35")
    assert [(line.code, str(line.liters)) for line in mine.lines] == [
        (code(1), "5.000"),
        (code(3), "30.000"),
    ]
    consume_for_order(plant, ORDER, "35", actor=actor())
    assert reservations_now(plant) == []
    assert [get_batch(plant, code(n)).remaining_ml for n in (1, 2, 3)] == [35_000, 50_000, 70_000]
    # Another order goes first expired first out over what nobody reserved.
    other = pick_for_order(plant, OTHER_ORDER, "40")
    assert [(line.code, str(line.liters)) for line in other.lines] == [
        (code(1), "35.000"),
        (code(2), "5.000"),
    ]
