"""Register and qa events record the QA state they left (qa_state_after), on both
databases: a registration behind the gate says pending, one without it released; each lab
result says what it did; the field is hashed as domain.audit_chain says; a replayed qa
change returns the state its event recorded, not the batch's current one.

tests/unit/services/test_fake_qa_state_recorded.py runs these on the in-memory database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.qa import QaRecord, QaResult, QaState
from tests.integration.test_lifecycle_storage import (
    BETA,
    CODE,
    FAIL,
    assert_chain_verifies,
    changed,
    consume,
    events,
    hold,
    qa,
    register,
    stamp,
)
from tests.support.qa_gate import set_qa_gate

SCC = QaRecord(test="scc", result=QaResult.PASS, analyst="Dr Lab")


def test_a_registration_behind_the_gate_records_pending(database: Database) -> None:
    set_qa_gate(database, True)
    register(database)

    (event,) = events(database)
    assert (event.action, event.qa_state_after) == (AuditAction.REGISTER, "pending")
    assert_chain_verifies(database)


def test_a_registration_without_the_gate_records_released(database: Database) -> None:
    set_qa_gate(database, False)
    register(database)

    (event,) = events(database)
    assert (event.action, event.qa_state_after) == (AuditAction.REGISTER, "released")
    assert_chain_verifies(database)


def test_each_result_records_the_state_it_left(database: Database) -> None:
    set_qa_gate(database, True, required_tests="beta-lactam, scc")
    register(database)

    first = changed(database, qa(BETA))  # one of two required tests: still pending
    second = changed(database, qa(SCC))  # both passed: released
    third = changed(database, qa(BETA))  # a pass on a released batch leaves it released
    failed = changed(database, qa(FAIL))  # any fail rejects, also once released

    assert [c.event.qa_state_after for c in (first, second, third, failed)] == [
        "pending",
        "released",
        "released",
        "rejected",
    ]
    assert [c.batch.qa_state for c in (first, second, third, failed)] == [
        QaState.PENDING,
        QaState.RELEASED,
        QaState.RELEASED,
        QaState.REJECTED,
    ]
    assert [e.qa_state_after for e in events(database)] == [
        "pending",
        "pending",
        "released",
        "released",
        "rejected",
    ]
    assert_chain_verifies(database)


def test_other_actions_record_no_qa_state(database: Database) -> None:
    set_qa_gate(database, False)
    register(database)
    changed(database, consume(1_000))
    changed(database, hold)

    assert [e.qa_state_after for e in events(database)] == ["released", None, None]
    assert_chain_verifies(database)


def test_a_replayed_pass_returns_the_release_it_recorded(database: Database) -> None:
    """Rejected since: the replay still says what the pass did (the batch was released)."""
    set_qa_gate(database, True)
    register(database)
    first = changed(
        database, lambda c: c.record_qa(CODE, BETA, expected_version=None, stamp=stamp("qa-1"))
    )
    changed(database, qa(FAIL))

    again = changed(
        database, lambda c: c.record_qa(CODE, BETA, expected_version=None, stamp=stamp("qa-1"))
    )

    assert again.replayed
    assert again.event == first.event
    assert (again.batch.qa_state, again.batch.version) == (QaState.RELEASED, 2)
    assert len(events(database)) == 3


def test_a_replayed_registration_returns_the_pending_state_it_recorded(
    database: Database,
) -> None:
    """Released by QA since: the replayed registration says the batch started pending."""
    set_qa_gate(database, True)
    new = NewBatch.received(CODE, datetime.now(UTC) - timedelta(hours=1), 5, 100_000, None)
    first = changed(database, lambda c: c.register(new, stamp("reg-1")))
    changed(database, qa(BETA))

    again = changed(database, lambda c: c.register(new, stamp("reg-1")))

    assert again.replayed
    assert again.event == first.event
    assert (again.batch.qa_state, again.batch.version) == (QaState.PENDING, 1)
