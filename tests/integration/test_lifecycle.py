import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import BatchDeleted, BatchNotDeleted, InvalidInput, VersionConflict
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from dairy_desktop.services.queries import get_batch, list_batches
from tests.integration.helpers import ANN, register

CODE = "SCH-20251204-0001"
NASTY_REASON = """sour; "tank 3" said 'no' -- DROP TABLE batches; /* \\ */ ünïcode"""


def test_delete_hides_the_batch_restore_brings_it_back_both_audited(database: Database) -> None:
    register(database)
    deleted = delete_batch(database, CODE, reason=NASTY_REASON, actor=ANN)
    assert deleted.is_deleted
    assert deleted.version == 2
    assert list_batches(database).batches == []
    listing = list_batches(database, include_deleted=True)
    assert listing.status_of(listing.batches[0]) == BatchStatus.DELETED
    restored = restore_batch(database, CODE, reason="mistake", actor=ANN)
    assert not restored.is_deleted
    assert restored.version == 3
    events = list_audit(database)
    assert [e.action for e in events] == [
        AuditAction.REGISTER,
        AuditAction.DELETE,
        AuditAction.RESTORE,
    ]
    assert events[1].reason == NASTY_REASON  # stored verbatim


def test_deleting_twice_and_restoring_a_live_batch_are_refused(database: Database) -> None:
    register(database)
    with pytest.raises(BatchNotDeleted):
        restore_batch(database, CODE, reason="x", actor=ANN)
    delete_batch(database, CODE, reason="x", actor=ANN)
    with pytest.raises(BatchDeleted, match="already deleted"):
        delete_batch(database, CODE, reason="x", actor=ANN)
    assert len(list_audit(database)) == 2


def test_a_reason_is_required(database: Database) -> None:
    register(database)
    with pytest.raises(InvalidInput, match="reason is required"):
        delete_batch(database, CODE, reason="  ", actor=ANN)
    assert not get_batch(database, CODE).is_deleted


def test_delete_with_a_stale_version_is_a_conflict(database: Database) -> None:
    register(database)
    with pytest.raises(VersionConflict):
        delete_batch(database, CODE, reason="x", actor=ANN, expected_version=7)
    assert not get_batch(database, CODE).is_deleted
