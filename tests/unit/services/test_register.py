"""Registering a delivery: stored full at version 1, audited, duplicates refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import DuplicateCode, InvalidInput
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.register import register_batch
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, BOB, NOW, code, register


def test_a_registered_batch_starts_full_at_version_1_stamped_by_who_registered_it(
    database: FakeDatabase,
) -> None:
    result = register_batch(
        database,
        code=code(1),
        liters="999.999",
        shelf_life_days=3,
        received_at=NOW - timedelta(hours=2),
        fat_percent="3.75",
        actor=ANN,
        now=NOW,
    )
    batch = get_batch(database, code(1))
    assert batch == result.batch
    assert (batch.initial_ml, batch.remaining_ml, batch.fat_centi, batch.version) == (
        999_999,
        999_999,
        375,
        1,
    )
    assert batch.expires_at == datetime(2025, 12, 7, 6, 0, tzinfo=UTC)
    assert (batch.updated_at, batch.updated_by, batch.updated_workstation) == (NOW, "ann", "PC-1")
    assert result.warnings == []


def test_registering_writes_one_audit_event_for_the_full_amount(database: FakeDatabase) -> None:
    register(database, liters="12.5", ago=timedelta(hours=1), days=3)
    [event] = list_audit(database)
    assert (event.action, event.liters_ml, event.remaining_after_ml, event.version_after) == (
        AuditAction.REGISTER,
        12_500,
        12_500,
        1,
    )
    assert (event.operator, event.correlation_id, event.at) == ("ann", "ann-action", NOW)


def test_a_duplicate_code_is_refused_naming_the_existing_batch(database: FakeDatabase) -> None:
    register(database, liters="500", ago=timedelta(hours=1), days=3)
    with pytest.raises(DuplicateCode, match=r"SCH-20251204-0001 is already registered.*500\.000 L"):
        register(database, liters="20", ago=timedelta(minutes=5), days=3)
    assert len(list_audit(database)) == 1
    assert get_batch(database, code(1)).remaining_ml == 500_000


def test_a_deleted_batch_still_holds_its_code(database: FakeDatabase) -> None:
    register(database, ago=timedelta(hours=1), days=3)
    delete_batch(database, code(1), reason="sour", actor=ANN, now=NOW)
    with pytest.raises(DuplicateCode, match="remaining, deleted"):
        register(database, ago=timedelta(minutes=5), days=3)


def test_a_code_taken_between_the_check_and_the_insert_is_still_a_duplicate(
    database: FakeDatabase,
) -> None:
    """The repository itself refuses a taken code (the real one from the database's unique
    index, for two PCs racing): the service's early check is only for a clearer path."""
    register(database, ago=timedelta(hours=1), days=3)
    new = NewBatch(code(1), NOW, 3, NOW + timedelta(days=3), 1000, None)
    with database.unit_of_work(write=True) as uow, pytest.raises(DuplicateCode):
        uow.batches.add(new, BOB.stamp(NOW))


def test_a_delivery_already_expired_is_kept_on_record_with_a_warning(
    database: FakeDatabase,
) -> None:
    result = register_batch(
        database,
        code=code(1),
        liters="10",
        shelf_life_days=1,
        received_at=NOW - timedelta(days=3),
        actor=ANN,
        now=NOW,
    )
    assert "already expired" in result.warnings[0]
    assert get_batch(database, code(1)) == result.batch


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("code", {"code": "sch-1"}),
        ("liters", {"liters": "0"}),
        ("shelf_life", {"shelf_life_days": 31}),
        ("fat", {"fat_percent": "101"}),
        ("received", {"received_at": NOW + timedelta(minutes=10)}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_committed(
    database: FakeDatabase, field: str, changes: dict[str, object]
) -> None:
    values: dict[str, object] = {
        "code": code(3),
        "liters": "10",
        "shelf_life_days": 3,
        "actor": ANN,
        "now": NOW,
    }
    values.update(changes)
    with pytest.raises(InvalidInput) as refused:
        register_batch(database, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert database.commits == 0
