"""Delete and restore: each needs a reason, each is audited, each only where it makes sense."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchNotDeleted,
    InvalidInput,
    NotFound,
    VersionConflict,
)
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from dairy_desktop.services.queries import get_batch, list_batches
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, BOB, NOW, code, register

LATER = NOW + timedelta(minutes=30)


@pytest.fixture(autouse=True)
def _one_batch(database: FakeDatabase) -> None:
    register(database, ago=timedelta(hours=1), days=5)


def test_a_deleted_batch_is_stamped_hidden_and_audited_with_its_reason(
    database: FakeDatabase,
) -> None:
    deleted = delete_batch(database, code(1), reason=" sour on inspection ", actor=BOB, now=LATER)
    assert (deleted.deleted_at, deleted.version, deleted.updated_by) == (LATER, 2, "bob")
    assert list_batches(database, now=LATER).batches == []
    event = list_audit(database)[-1]
    assert (event.action, event.reason, event.operator, event.version_after) == (
        AuditAction.DELETE,
        "sour on inspection",
        "bob",
        2,
    )
    assert event.liters_ml is None


def test_a_restored_batch_is_back_with_all_it_had_left(database: FakeDatabase) -> None:
    delete_batch(database, code(1), reason="sour", actor=ANN, now=NOW)
    restored = restore_batch(database, code(1), reason="mistake", actor=BOB, now=LATER)
    assert (restored.is_deleted, restored.version, restored.remaining_ml) == (False, 3, 1_000_000)
    assert [e.action for e in list_audit(database)] == [
        AuditAction.REGISTER,
        AuditAction.DELETE,
        AuditAction.RESTORE,
    ]


def test_deleting_a_deleted_batch_is_refused(database: FakeDatabase) -> None:
    delete_batch(database, code(1), reason="sour", actor=ANN, now=NOW)
    with pytest.raises(BatchDeleted, match="already deleted; nothing was changed"):
        delete_batch(database, code(1), reason="sour", actor=ANN, now=NOW)
    assert len(list_audit(database)) == 2


def test_restoring_a_live_batch_is_refused(database: FakeDatabase) -> None:
    with pytest.raises(BatchNotDeleted, match="nothing to restore"):
        restore_batch(database, code(1), reason="mistake", actor=ANN, now=NOW)
    assert get_batch(database, code(1)).version == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501, "bad\x00byte"])
def test_a_missing_or_unstorable_reason_is_refused_before_any_transaction(
    database: FakeDatabase, reason: str
) -> None:
    used = len(database.units_of_work)
    with pytest.raises(InvalidInput) as refused:
        delete_batch(database, code(1), reason=reason, actor=ANN, now=NOW)
    assert refused.value.field == "reason"
    assert len(database.units_of_work) == used


def test_a_stale_version_is_a_conflict_and_nothing_is_deleted(database: FakeDatabase) -> None:
    with pytest.raises(VersionConflict) as conflict:
        delete_batch(database, code(1), reason="sour", actor=ANN, expected_version=7, now=NOW)
    assert conflict.value.current.version == 1
    assert not get_batch(database, code(1)).is_deleted


def test_an_unknown_batch_cannot_be_deleted_or_restored(database: FakeDatabase) -> None:
    with pytest.raises(NotFound):
        delete_batch(database, code(2), reason="sour", actor=ANN, now=NOW)
    with pytest.raises(NotFound):
        restore_batch(database, code(2), reason="mistake", actor=ANN, now=NOW)
