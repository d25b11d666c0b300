"""Consuming: exact litres, one guarded change, one audit event, and a specific refusal."""

from __future__ import annotations

import pytest

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchExpired,
    InvalidInput,
    NotEnoughLeft,
    NotFound,
    VersionConflict,
)
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.queries import get_batch
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, BOB, NOW, batch_in, code, fresh


def test_consuming_takes_the_exact_amount_bumps_the_version_and_stamps_the_batch(
    database: FakeDatabase,
) -> None:
    fresh(database, liters="1.000")
    after = consume(database, code(1), "0.1", actor=BOB, expected_version=1, now=NOW)
    assert (after.remaining_ml, after.version) == (900, 2)
    assert (after.updated_at, after.updated_by, after.updated_workstation) == (NOW, "bob", "PC-2")
    assert get_batch(database, code(1)) == after


def test_a_consume_is_audited_with_its_order_and_who_did_it(database: FakeDatabase) -> None:
    fresh(database)
    consume(database, code(1), "2.5", actor=BOB, order_id="ORDER-20251204-0007", now=NOW)
    event = list_audit(database)[-1]
    assert (event.action, event.liters_ml, event.remaining_after_ml, event.version_after) == (
        AuditAction.CONSUME,
        2500,
        997_500,
        2,
    )
    assert (event.order_id, event.operator, event.workstation, event.correlation_id) == (
        "ORDER-20251204-0007",
        "bob",
        "PC-2",
        "bob-action",
    )
    assert event.at == NOW


def test_an_unknown_code_is_not_found(database: FakeDatabase) -> None:
    with pytest.raises(NotFound, match="No batch with code 'SCH-20251204-9999'"):
        consume(database, code(9999), "1", actor=ANN, now=NOW)
    assert database.commits == 0


def test_a_deleted_batch_cannot_be_consumed(database: FakeDatabase) -> None:
    batch = batch_in(database, BatchStatus.DELETED)
    with pytest.raises(BatchDeleted, match="is deleted; nothing can be consumed"):
        consume(database, batch.code, "1", actor=ANN, now=NOW)


def test_an_expired_batch_cannot_be_consumed(database: FakeDatabase) -> None:
    batch = batch_in(database, BatchStatus.EXPIRED)
    with pytest.raises(BatchExpired, match="has expired"):
        consume(database, batch.code, "1", actor=ANN, now=NOW)


def test_a_batch_expiring_this_very_instant_is_already_expired(database: FakeDatabase) -> None:
    batch = fresh(database)
    with pytest.raises(BatchExpired):
        consume(database, batch.code, "1", actor=ANN, now=batch.expires_at)


def test_taking_more_than_is_left_is_refused_naming_what_remains(database: FakeDatabase) -> None:
    fresh(database, liters="7.5")
    with pytest.raises(NotEnoughLeft, match=r"Cannot take 7\.501 L .* only 7\.500 L remain"):
        consume(database, code(1), "7.501", actor=ANN, now=NOW)


def test_an_empty_batch_is_refused_as_not_enough_left(database: FakeDatabase) -> None:
    batch = batch_in(database, BatchStatus.EMPTY)
    with pytest.raises(NotEnoughLeft, match="is empty"):
        consume(database, batch.code, "0.001", actor=ANN, now=NOW)


def test_the_last_millilitre_can_be_taken(database: FakeDatabase) -> None:
    fresh(database, liters="1")
    assert consume(database, code(1), "1.000", actor=ANN, now=NOW).remaining_ml == 0


def test_a_stale_version_is_a_conflict_carrying_the_current_state(database: FakeDatabase) -> None:
    fresh(database)
    consume(database, code(1), "10", actor=BOB, expected_version=1, now=NOW)
    with pytest.raises(VersionConflict) as conflict:
        consume(database, code(1), "5", actor=ANN, expected_version=1, now=NOW)
    assert conflict.value.expected_version == 1
    current = conflict.value.current
    assert (current.version, current.remaining_ml, current.updated_by) == (2, 990_000, "bob")
    assert "changed by bob on PC-2" in str(conflict.value)


def test_a_stale_version_is_reported_before_the_state_it_was_refused_for(
    database: FakeDatabase,
) -> None:
    """The operator saw an older state: show them the new one, whatever else is wrong."""
    batch = batch_in(database, BatchStatus.DELETED)
    with pytest.raises(VersionConflict):
        consume(database, batch.code, "1", actor=ANN, expected_version=1, now=NOW)


def test_without_a_version_only_the_batchs_state_is_checked(database: FakeDatabase) -> None:
    fresh(database)
    consume(database, code(1), "1", actor=BOB, now=NOW)
    assert consume(database, code(1), "1", actor=ANN, now=NOW).version == 3


def test_a_refused_consume_changes_nothing_and_writes_no_audit_event(
    database: FakeDatabase,
) -> None:
    fresh(database)
    with pytest.raises(NotEnoughLeft):
        consume(database, code(1), "1000.001", actor=ANN, now=NOW)
    assert get_batch(database, code(1)).version == 1
    assert [e.action for e in list_audit(database)] == [AuditAction.REGISTER]


@pytest.mark.parametrize("liters", ["0", "-1", "0.0001", "NaN", "lots"])
def test_a_bad_amount_is_refused_before_any_transaction(
    database: FakeDatabase, liters: str
) -> None:
    fresh(database)
    used = len(database.units_of_work)
    with pytest.raises(InvalidInput):
        consume(database, code(1), liters, actor=ANN, now=NOW)
    assert len(database.units_of_work) == used


def test_a_bad_order_id_is_refused_before_any_transaction(database: FakeDatabase) -> None:
    fresh(database)
    used = len(database.units_of_work)
    with pytest.raises(InvalidInput, match="Order id"):
        consume(database, code(1), "1", actor=ANN, order_id="ORDER-1; --", now=NOW)
    assert len(database.units_of_work) == used


def test_blanks_around_a_scanned_code_are_ignored(database: FakeDatabase) -> None:
    fresh(database)
    assert consume(database, f"  {code(1)}\n", "1", actor=ANN, now=NOW).code == code(1)
