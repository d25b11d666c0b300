"""The orders use cases over the in-memory database, on a clock the test holds: FEFO across
batches, the plan refused when a batch expires between pick and consume, reservations kept
for their order, and nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.domain.errors import NotEnoughStock, PlanNoLongerHolds, RuleRefused
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.orders_consume import consume_for_order
from dairy_desktop.services.orders_pick import pick_for_order
from dairy_desktop.services.orders_reserve import reserve_for_order
from dairy_desktop.services.orders_unreserve import reservations_now, unreserve_order
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.register import register_batch
from tests.support.fake_database import FakeDatabase

NOW = datetime(2025, 12, 4, 8, 0, tzinfo=UTC)
ORDER = "ORDER-20251204-0001"
OTHER = "ORDER-20251204-0002"


def ann(request_id: str | None = None) -> Actor:
    return Actor(operator="ann", workstation="PC-1").for_action(request_id)


def _code(n: int) -> str:
    return f"SCH-20251204-{n:04d}"


@pytest.fixture
def stock(database: FakeDatabase) -> FakeDatabase:
    """0001 10 L expiring at NOW + 2 h; 0002 20 L at NOW + 1 day; 0003 30 L at NOW + 2 days,
    at a plant on UTC."""
    with database.unit_of_work(write=True) as uow:
        uow.settings.put("time_zone", "UTC", at=NOW, by="test")
        uow.commit()
    for n, liters, expires in ((1, "10", timedelta(hours=2)), (2, "20", timedelta(days=1))):
        received = NOW + expires - timedelta(days=1)
        register_batch(database, code=_code(n), liters=liters, shelf_life_days=1,
                       received_at=received, actor=ann(), now=NOW)  # fmt: skip
    register_batch(database, code=_code(3), liters="30", shelf_life_days=2,
                   received_at=NOW, actor=ann(), now=NOW)  # fmt: skip
    return database


def _plan(pick: object) -> list[tuple[str, str]]:
    return [(line.code, str(line.liters)) for line in pick.lines]  # type: ignore[attr-defined]


def test_a_batch_expiring_between_pick_and_consume_refuses_the_plan(stock: FakeDatabase) -> None:
    pick = pick_for_order(stock, ORDER, "25", now=NOW)
    assert _plan(pick) == [(_code(1), "10.000"), (_code(2), "15.000")]
    seen = [(line.code, str(line.liters), line.version) for line in pick.lines]
    later = NOW + timedelta(hours=3)  # 0001 expired an hour ago
    with pytest.raises(PlanNoLongerHolds) as refused:
        consume_for_order(stock, ORDER, "25", actor=ann(), lines=seen, now=later)
    assert _plan(refused.value.proposal) == [(_code(2), "20.000"), (_code(3), "5.000")]
    assert [get_batch(stock, _code(n)).remaining_ml for n in (1, 2, 3)] == [10_000, 20_000, 30_000]
    done = consume_for_order(stock, ORDER, "25", actor=ann(), now=later)
    assert [(c.batch.code, c.event.liters_ml) for c in done.lines] == [
        (_code(2), 20_000),
        (_code(3), 5_000),
    ]


def test_a_reservation_keeps_other_orders_off_and_is_drawn_by_its_own(stock: FakeDatabase) -> None:
    day = NOW.date() + timedelta(days=1)
    reserved = reserve_for_order(stock, ORDER, "25", day, actor=ann(), now=NOW)
    # 0001 and 0002 do not last until the end of tomorrow: only 0003 does.
    assert [(line.changed.batch.code, line.at_risk) for line in reserved.lines] == [
        (_code(3), False)
    ]
    with pytest.raises(RuleRefused, match=f"reserved for {ORDER}"):
        consume_for_order(stock, OTHER, "10", actor=ann(), lines=[(_code(3), "10")], now=NOW)
    with pytest.raises(NotEnoughStock):
        consume_for_order(stock, OTHER, "36", actor=ann(), now=NOW)
    assert _plan(pick_for_order(stock, ORDER, "30", now=NOW)) == [
        (_code(1), "5.000"),
        (_code(3), "25.000"),
    ]
    consume_for_order(stock, ORDER, "20", actor=ann(), now=NOW)
    [left] = reservations_now(stock, now=NOW)
    assert (left.reservation.batch_code, left.reservation.reserved_ml) == (_code(3), 5_000)
    assert [c.event.liters_ml for c in unreserve_order(stock, ORDER, actor=ann()).lines] == [5_000]
    assert reservations_now(stock, now=NOW) == []


def test_a_failure_after_the_second_line_leaves_the_fake_as_it_was(stock: FakeDatabase) -> None:
    def fail(count: int) -> None:
        if count == 2:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        consume_for_order(stock, ORDER, "35", actor=ann(), now=NOW, after_line=fail)
    assert [get_batch(stock, _code(n)).version for n in (1, 2, 3)] == [1, 1, 1]
