from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchExpired,
    InvalidInput,
    NotEnoughLeft,
    NotFound,
    VersionConflict,
)
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import ANN, BOB, register

CODE = "SCH-20251204-0001"


def test_consume_decrements_exactly_bumps_version_and_audits(database: Database) -> None:
    register(database, liters="1.000")
    after = consume(
        database, CODE, "0.1", actor=BOB, order_id="ORDER-20251204-1234", expected_version=1
    )
    assert str(after.remaining_liters) == "0.900"
    assert after.version == 2
    assert (after.updated_by, after.updated_workstation) == ("bob", "PC-2")
    event = list_audit(database)[-1]
    assert (
        event.action,
        str(event.liters),
        str(event.remaining_after),
        event.version_after,
        event.order_id,
        event.operator,
        event.workstation,
    ) == (AuditAction.CONSUME, "0.100", "0.900", 2, "ORDER-20251204-1234", "bob", "PC-2")


def test_ten_tenths_empty_a_litre_exactly(database: Database) -> None:
    register(database, liters="1")
    for _ in range(10):
        consume(database, CODE, "0.1", actor=ANN)
    assert get_batch(database, CODE).remaining_ml == 0
    with pytest.raises(NotEnoughLeft):
        consume(database, CODE, "0.001", actor=ANN)


def test_a_stale_version_is_a_conflict_carrying_the_current_state(database: Database) -> None:
    register(database)
    consume(database, CODE, "10", actor=BOB, expected_version=1)
    with pytest.raises(VersionConflict) as conflict:
        consume(database, CODE, "5", actor=ANN, expected_version=1)
    current = conflict.value.current
    assert (
        current.version,
        str(current.remaining_liters),
        current.updated_by,
        current.updated_workstation,
    ) == (2, "990.000", "bob", "PC-2")
    assert conflict.value.expected_version == 1
    assert get_batch(database, CODE).remaining_ml == 990_000
    assert len(list_audit(database, AuditFilter(batch_code=CODE))) == 2


@pytest.mark.parametrize(
    ("liters", "error"),
    [
        ("1000.001", NotEnoughLeft),
        ("0", InvalidInput),
        ("-1", InvalidInput),
        ("0.0001", InvalidInput),
        ("NaN", InvalidInput),
    ],
)
def test_refused_amounts_change_nothing(database: Database, liters: str, error: type) -> None:
    register(database)
    with pytest.raises(error):
        consume(database, CODE, liters, actor=ANN)
    batch = get_batch(database, CODE)
    assert (batch.remaining_ml, batch.version) == (1_000_000, 1)
    assert len(list_audit(database)) == 1


def test_expired_batches_cannot_be_consumed(database: Database) -> None:
    register(database, days=1, received=datetime.now(UTC) - timedelta(days=2))
    with pytest.raises(BatchExpired, match="expired"):
        consume(database, CODE, "1", actor=ANN)
    assert len(list_audit(database)) == 1


def test_deleted_batches_cannot_be_consumed(database: Database) -> None:
    register(database)
    delete_batch(database, CODE, reason="sour", actor=ANN)
    with pytest.raises(BatchDeleted, match="deleted"):
        consume(database, CODE, "1", actor=ANN)


def test_unknown_batches_are_not_found(database: Database) -> None:
    with pytest.raises(NotFound, match="No batch"):
        consume(database, "SCH-20251204-9999", "1", actor=ANN)


def test_a_bad_order_id_is_refused_before_anything_is_written(database: Database) -> None:
    register(database)
    with pytest.raises(InvalidInput, match="Order id"):
        consume(database, CODE, "1", actor=ANN, order_id="ORDER-1'; DROP TABLE batches; --")
    assert get_batch(database, CODE).version == 1
