"""audit verify's reservation replay, event by event: what each order holds, what a consume
for it draws, and the events the rules would have refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dairy_desktop.db.audit_chain_queries import StoredEvent, StoredReservation
from dairy_desktop.services.audit_verify_reservations import (
    Held,
    apply_reservation,
    reservation_problem,
)

DAY = date(2025, 12, 6)
A, B = "ORDER-20251204-0001", "ORDER-20251204-0002"


def _event(action: str, ml: int, order: str | None, day: date | None = None) -> StoredEvent:
    return StoredEvent(
        7, 3, "SCH-1", action, datetime(2025, 12, 4, tzinfo=UTC), ml, 0, 2, order, "ann",
        "PC-1", None, None, None, None, None, reserved_for=day,
    )  # fmt: skip


def test_reserves_add_up_and_a_consume_for_the_order_draws_its_own_first() -> None:
    held: Held = {}
    assert apply_reservation(held, _event("reserve", 30_000, A, DAY), 100_000) is None
    assert apply_reservation(held, _event("reserve", 5_000, A, date(2025, 12, 7)), 100_000) is None
    assert apply_reservation(held, _event("reserve", 10_000, B, DAY), 100_000) is None
    assert held == {A: (35_000, date(2025, 12, 7)), B: (10_000, DAY)}
    assert apply_reservation(held, _event("consume", 20_000, A), 80_000) is None
    assert held[A] == (15_000, date(2025, 12, 7))
    assert apply_reservation(held, _event("consume", 40_000, A), 40_000) is None
    assert held == {B: (10_000, DAY)}


def test_a_consume_that_took_another_orders_litres_is_a_problem() -> None:
    held: Held = {}
    apply_reservation(held, _event("reserve", 60_000, A, DAY), 100_000)
    problem = apply_reservation(held, _event("consume", 50_000, None), 50_000)
    assert problem == f"event 7 leaves 50.000 L where 60.000 L are reserved ({A})"


def test_an_unreserve_must_release_exactly_what_the_order_held() -> None:
    held: Held = {}
    apply_reservation(held, _event("reserve", 30_000, A, DAY), 100_000)
    assert apply_reservation(held, _event("unreserve", 20_000, A), 100_000) == (
        f"event 7 lets go of 20.000 L where {A} held 30.000 L"
    )
    assert apply_reservation(held, _event("unreserve", 1_000, B), 100_000) == (
        f"event 7 lets go of a reservation {B} did not hold"
    )
    assert apply_reservation(held, _event("reserve", 1_000, A), 100_000) == (
        "event 7 reserves without an order, a planned day or litres"
    )


def test_the_row_and_the_table_must_match_the_replay() -> None:
    held: Held = {A: (30_000, DAY)}
    assert reservation_problem(held, 30_000, [StoredReservation(3, A, 30_000, DAY)]) is None
    assert reservation_problem(held, 30_000, []) == (
        f"the row says a reservation for {A} of none (history: 30000 mL for 2025-12-06)"
    )
    assert reservation_problem({}, 1, [StoredReservation(3, B, 1, DAY)]) == (
        f"the row says reserved mL 1 (history: 0), a reservation for {B} of 1 mL for "
        "2025-12-06 (history: none)"
    )
