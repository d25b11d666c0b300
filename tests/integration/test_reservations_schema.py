"""Reservations in the schema (migration 0006), on both databases: the CHECK that is the
last guard, the hash chain over reserve events, `audit verify` replaying reservations and
catching a tampered row, and the migration's way down and up again."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.alembic_upgrade import current_revision, head_revision
from dairy_desktop.db.database import Database, open_database
from dairy_desktop.domain.audit_chain import GENESIS, ChainedContent, event_hash
from dairy_desktop.domain.errors import RuleRefused
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_verify import verify_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reservations import list_reservations, reserve_once, unreserve_once
from tests.integration.test_lifecycle_storage import CODE, current, events
from tests.integration.test_schema_upgrade_lifecycle import _migrate
from tests.support.tamper import tampering

A, B = "ORDER-20251204-0001", "ORDER-20251204-0002"
DAY = date(2025, 12, 6)
ANN = Actor(operator="ann", workstation="PC-1")


def _stock(database: Database) -> None:
    """A batch with two orders' reservations, one of them partly consumed."""
    register_batch(
        database,
        code=CODE,
        liters="100",
        shelf_life_days=5,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        actor=ANN,
    )
    reserve_once(database, CODE, "30", order_id=A, planned_for=DAY, actor=ANN)
    reserve_once(database, CODE, "20", order_id=B, planned_for=DAY, actor=ANN)
    consume_once(database, CODE, "10", order_id=A, actor=ANN)


@pytest.mark.parametrize("reserved", ["remaining_ml + 1", "-1"], ids=["more-than-left", "negative"])
def test_the_check_constraint_refuses_a_raw_update_past_the_guard(
    database: Database, reserved: str
) -> None:
    _stock(database)
    with (
        pytest.raises(DBAPIError, match="reserved_within_remaining"),
        database.engine.begin() as connection,
    ):
        connection.execute(text(f"UPDATE batches SET reserved_ml = {reserved}"))
    assert current(database).reserved_ml == 40_000


def test_reserve_events_are_hashed_over_their_planned_day_and_the_chain_verifies(
    database: Database,
) -> None:
    _stock(database)
    unreserve_once(database, CODE, order_id=B, actor=ANN)
    trail = events(database)
    reserve = trail[1]
    assert reserve.reserved_for == DAY
    content = ChainedContent(
        batch_code=CODE,
        action="reserve",
        at=reserve.at,
        liters_ml=30_000,
        remaining_after_ml=100_000,
        version_after=2,
        order_id=A,
        operator="ann",
        workstation="PC-1",
        reason=None,
        request_id=reserve.request_id,
        db_user=reserve.db_user,
        prev_hash=trail[0].hash or GENESIS,
        reserved_for=DAY,
    )
    assert reserve.hash == event_hash(content)
    # The planned day is covered: another day gives another hash.
    assert event_hash(replace(content, reserved_for=date(2025, 12, 7))) != reserve.hash
    verification = verify_audit(database)
    assert verification.ok, verification.problems
    assert verification.events == 5


def test_audit_verify_catches_a_tampered_reservation_row(database: Database) -> None:
    _stock(database)
    with tampering(database) as connection:
        connection.execute(
            text(f"UPDATE reservations SET reserved_ml = 5000 WHERE order_id = '{B}'")
        )
    verification = verify_audit(database)
    assert not verification.ok
    assert verification.mismatched_batches == [CODE]
    assert verification.problems == [
        f"batch {CODE}: the row says a reservation for {B} of 5000 mL for 2025-12-06 "
        f"(history: 20000 mL for 2025-12-06)"
    ]


def test_audit_verify_catches_a_reservation_that_no_event_made(database: Database) -> None:
    _stock(database)
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE reservations SET planned_for = :day WHERE order_id = :order"),
            {"day": date(2025, 12, 9), "order": A},
        )
        connection.execute(text("UPDATE batches SET reserved_ml = reserved_ml - 1"))
    problems = verify_audit(database).problems
    assert problems == [
        f"batch {CODE}: the row says reserved mL 39999 (history: 40000), a reservation for "
        f"{A} of 20000 mL for 2025-12-09 (history: 20000 mL for 2025-12-06)"
    ]


def test_the_downgrade_refuses_once_reservations_were_used(database_url: str) -> None:
    database = open_database(database_url, upgrade=False)
    try:
        _stock(database)
    finally:
        database.dispose()
    with pytest.raises(RuntimeError, match="Cannot downgrade below 0006: 2 reservation"):
        _migrate(database_url, command.downgrade, "0005")
    database = open_database(database_url, upgrade=False)
    try:
        assert current_revision(database.engine) == "0006_reservations"
        assert [r.order_id for r in list_reservations(database)] == [A, B]
        assert verify_audit(database).ok
    finally:
        database.dispose()


def test_a_downgrade_without_reservations_and_the_upgrade_again(database_url: str) -> None:
    database = open_database(database_url, upgrade=False)
    try:
        register_batch(
            database,
            code=CODE,
            liters="100",
            shelf_life_days=5,
            received_at=datetime.now(UTC) - timedelta(hours=1),
            actor=ANN,
        )
        consume_once(database, CODE, "1", order_id=A, actor=ANN)
    finally:
        database.dispose()

    _migrate(database_url, command.downgrade, "0005")
    database = open_database(database_url, upgrade=False)
    try:
        assert current_revision(database.engine) == "0005"
        tables = inspect(database.engine).get_table_names()
        columns = {c["name"] for c in inspect(database.engine).get_columns("batches")}
        events_columns = {c["name"] for c in inspect(database.engine).get_columns("audit_events")}
        assert "reservations" not in tables
        assert "reserved_ml" not in columns
        assert "reserved_for" not in events_columns
    finally:
        database.dispose()

    database = open_database(database_url)  # upgrades to the newest again
    try:
        assert current_revision(database.engine) == head_revision() == "0006_reservations"
        assert verify_audit(database).ok  # every older hash stands
        reserve_once(database, CODE, "9", order_id=B, planned_for=DAY, actor=ANN)
        consume_once(database, CODE, "90", actor=ANN)
        assert current(database).remaining_ml == 9_000
        assert verify_audit(database).ok
    finally:
        database.dispose()


def test_concurrent_consumers_never_take_an_orders_reserved_litres(database: Database) -> None:
    """Sixteen consumers at once on a 10 L batch of which 6 L are reserved for A: eight
    for A (its own six always succeed), eight for no order (at most the four free ones).
    Every litre is used once, the reservation ends drawn to nothing, and the trail agrees."""
    register_batch(
        database,
        code=CODE,
        liters="10",
        shelf_life_days=5,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        actor=ANN,
    )
    reserve_once(database, CODE, "6", order_id=A, planned_for=DAY, actor=ANN)
    barrier = threading.Barrier(16)

    def take(order: str | None) -> bool:
        barrier.wait(timeout=30)
        try:
            consume_once(database, CODE, "1", order_id=order, actor=ANN)
        except RuleRefused:
            return False
        return True

    with ThreadPoolExecutor(16) as pool:
        for_a = [pool.submit(take, A) for _ in range(8)]
        for_none = [pool.submit(take, None) for _ in range(8)]
        won_a = sum(f.result(timeout=60) for f in for_a)
        won_none = sum(f.result(timeout=60) for f in for_none)
    assert won_a >= 6
    assert won_none <= 4
    assert won_a + won_none == 10
    batch = current(database)
    assert (batch.remaining_ml, batch.reserved_ml) == (0, 0)
    assert list_reservations(database) == []
    verification = verify_audit(database)
    assert verification.ok, verification.problems


def test_a_consume_waiting_on_its_orders_reserve_draws_on_that_reservation(
    database: Database,
) -> None:
    """The reserve is still uncommitted when the same order's consume arrives: the consume
    waits for the batch, then draws on the reservation it finds, as the history replays.
    (Deciding "no reservation" before the lock left it standing: `audit verify` and every
    replay then disagreed with the table.)"""
    register_batch(
        database,
        code=CODE,
        liters="100",
        shelf_life_days=5,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        actor=ANN,
    )
    bob = Actor(operator="bob", workstation="PC-2")
    started = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        with database.unit_of_work(write=True) as uow:
            uow.changes.reserve(
                CODE,
                30_000,
                order_id=A,
                planned_for=DAY,
                expected_version=None,
                stamp=ANN.for_action().stamp(datetime.now(UTC)),
            )

            def consume() -> None:
                started.set()
                consume_once(database, CODE, "10", order_id=A, actor=bob)

            waiting = pool.submit(consume)
            started.wait(5)
            threading.Event().wait(0.5)  # the consume is now queued behind this transaction
            assert not waiting.done()
            uow.commit()
        waiting.result(timeout=15)

    [reservation] = list_reservations(database)
    assert (reservation.order_id, reservation.reserved_ml) == (A, 20_000)
    assert current(database).reserved_ml == 20_000
    verification = verify_audit(database)
    assert verification.ok, verification.problems
