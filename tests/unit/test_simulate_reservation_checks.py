"""The simulator's reservation check on hand-made snapshots: a kept promise passes, and
each way of breaking one is caught and named."""

from __future__ import annotations

from datetime import date

from dairy_desktop.services.orders_lines import MAX_LINES
from dairy_desktop.simulate.reservation_checks import NAME, reservations_kept
from dairy_desktop.simulate.snapshot import BatchState, Event, Reservations, Snapshot
from dairy_desktop.simulate.tally import MOST_LINES

A, B = "ORDER-00000001-0001", "ORDER-00000001-0002"
DAY = date(2025, 12, 6)
CODE = "SIM-00000001-0000"


def _event(n: int, action: str, ml: int | None, after: int, order: str | None = None) -> Event:
    return Event(
        id=n,
        action=action,
        liters_ml=ml,
        remaining_after_ml=after,
        version_after=n,
        order_id=order,
        reserved_for=DAY if action == "reserve" else None,
    )


def _snapshot(
    trail: list[Event], *, reserved_ml: int, table: Reservations, remaining: int
) -> Snapshot:
    return Snapshot(
        batches={1: BatchState(CODE, 100_000, remaining, len(trail), reserved_ml=reserved_ml)},
        events={1: trail},
        per_workstation={},
        gate_on=False,
        reservations={1: table} if table else {},
    )


KEPT = [
    _event(1, "register", 100_000, 100_000),
    _event(2, "reserve", 60_000, 100_000, A),
    _event(3, "reserve", 30_000, 100_000, B),
    _event(4, "consume", 70_000, 30_000, A),  # 60 L of its own, 10 of the 10 free
    _event(5, "unreserve", 30_000, 30_000, B),
    _event(6, "reserve", 20_000, 30_000, B),
]


def test_a_trail_that_keeps_its_promises_passes_and_says_what_it_replayed() -> None:
    check = reservations_kept(
        _snapshot(KEPT, reserved_ml=20_000, table={B: (20_000, DAY)}, remaining=30_000)
    )
    assert check.name == NAME
    assert check.passed, check.detail
    assert check.detail == (
        "3 reserves and 1 draws on them replayed; the 1 reservations left are the table's"
    )


def test_a_consume_that_takes_another_orders_litres_is_caught() -> None:
    trail = [*KEPT[:3], _event(4, "consume", 20_000, 80_000)]  # no order: 10 L free only
    check = reservations_kept(
        _snapshot(
            trail, reserved_ml=90_000, table={A: (60_000, DAY), B: (30_000, DAY)}, remaining=80_000
        )
    )
    assert not check.passed
    assert check.detail == (
        f"batch {CODE}: audit event 4 (id 4) takes 20.000 L for no order where only 10.000 L "
        "were not promised to other orders"
    )


def test_a_reserve_of_litres_promised_already_is_caught() -> None:
    trail = [*KEPT[:3], _event(4, "reserve", 10_001, 100_000, A)]
    check = reservations_kept(
        _snapshot(
            trail,
            reserved_ml=100_001,
            table={A: (70_001, DAY), B: (30_000, DAY)},
            remaining=100_000,
        )
    )
    assert not check.passed
    assert "audit event 4 (id 4) promises 10.001 L to ORDER-00000001-0001 where only 10.000 L" in (
        check.detail
    )


def test_a_reserve_while_the_batch_was_held_is_caught() -> None:
    trail = [KEPT[0], _event(2, "hold", None, 100_000), _event(3, "reserve", 1_000, 100_000, A)]
    check = reservations_kept(
        _snapshot(trail, reserved_ml=1_000, table={A: (1_000, DAY)}, remaining=100_000)
    )
    assert not check.passed
    assert "reserves 1.000 L for ORDER-00000001-0001 while the batch was on hold" in check.detail


def test_an_unreserve_of_other_litres_than_held_is_caught() -> None:
    trail = [*KEPT[:2], _event(3, "unreserve", 50_000, 100_000, A)]
    check = reservations_kept(_snapshot(trail, reserved_ml=0, table={}, remaining=100_000))
    assert not check.passed
    assert "lets go of 50.000 L for ORDER-00000001-0001, which held 60.000 L" in check.detail


def test_a_table_row_no_event_made_and_a_wrong_total_are_caught() -> None:
    check = reservations_kept(
        _snapshot(
            KEPT, reserved_ml=21_000, table={A: (1_000, DAY), B: (20_000, DAY)}, remaining=30_000
        )
    )
    assert not check.passed
    assert check.detail == (
        f"batch {CODE}: reserved 21.000 L on the row, 20.000 L in the audit; batch {CODE}: "
        "ORDER-00000001-0001 holds 1.000 L for 2025-12-06 in the table, nothing in the audit"
    )


def test_an_unknown_order_change_may_have_written_as_many_events_as_a_change_has_lines() -> None:
    assert MOST_LINES == MAX_LINES
