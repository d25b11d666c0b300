"""`audit verify` recomputes the hashes of lifecycle events and replays them against the
rows, on both databases: what the storage writes is what the chain and the ledger expect."""

from __future__ import annotations

from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.qa import QaRecord, QaResult
from dairy_desktop.services.audit_verify import verify_audit
from tests.integration.test_lifecycle_storage import (
    BETA,
    CODE,
    FAIL,
    assert_chain_verifies,
    changed,
    consume,
    dispose,
    hold,
    pending,
    qa,
    recall,
    release,
    reverse,
)


def _every_change(database: Database) -> None:
    pending(database, tests="beta-lactam, scc")
    changed(database, qa(BETA))
    changed(database, qa(QaRecord(test="scc", result=QaResult.PASS, analyst="Ünal", kit="k")))
    used = changed(database, consume(2_000)).event
    changed(database, hold)
    changed(database, dispose(1_000, DisposeReason.LAB_SAMPLE))
    changed(database, release)
    changed(database, reverse(used.id))
    changed(database, qa(FAIL))
    changed(database, dispose(None, DisposeReason.REJECTED_LOAD))
    changed(database, recall)


def test_a_trail_of_every_lifecycle_change_verifies(database: Database) -> None:
    _every_change(database)

    assert_chain_verifies(database)
    verification = verify_audit(database)
    assert verification.ok, verification.problems
    assert verification.events == 11


def test_an_edited_lifecycle_field_breaks_the_chain(database: Database) -> None:
    _every_change(database)
    # As an attacker with the file (SQLite) or the owner disabling the guard would.
    with database.engine.begin() as connection:
        if database.kind == "sqlite":
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        connection.execute(
            text("UPDATE audit_events SET qa_analyst = 'someone else' WHERE qa_test = 'scc'")
        )

    verification = verify_audit(database)

    assert not verification.ok
    assert CODE in verification.mismatched_batches
