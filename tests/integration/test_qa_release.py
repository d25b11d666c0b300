"""The QA release gate on both databases: lab results release or reject, and a batch is
consumed only once released; every refusal leaves the batch and the audit trail as they were."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    BatchDeleted,
    InvalidInput,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle_reads import qa_results, required_tests_left
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.queries import get_batch, list_batches
from tests.integration.helpers import ANN, register
from tests.integration.lifecycle_stock import (
    CODE,
    LAB,
    deleted,
    gate_on,
    pending,
    put_setting,
    qa,
    recalled,
    rejected,
    released,
    snapshot,
)

Make = Callable[[Database], Batch]


def test_a_new_batch_awaits_qa_and_a_pass_of_the_required_test_releases_it(
    database: Database,
) -> None:
    batch = pending(database)
    assert batch.qa_state is QaState.PENDING
    listing = list_batches(database, status=BatchStatus.PENDING_QA)
    assert [b.code for b in listing.batches] == [CODE]
    changed = record_qa_once(
        database,
        CODE,
        test="Beta Lactam",
        result="PASS",
        analyst=" lab-anna ",
        kit="SNAP 12",
        sample_id="S-1",
        note="clean",
        expected_version=1,
        actor=ANN.for_action(),
    )
    assert (changed.batch.qa_state, changed.batch.version) == (QaState.RELEASED, 2)
    event = changed.event
    assert (event.action, event.qa_test, event.qa_result, event.qa_analyst) == (
        AuditAction.QA,
        "beta-lactam",
        "pass",
        "lab-anna",
    )
    assert (event.qa_kit, event.qa_sample_id, event.version_after) == ("SNAP 12", "S-1", 2)
    assert get_batch(database, CODE) == changed.batch
    assert [e.id for e in qa_results(database, CODE)] == [event.id]
    assert consume(database, CODE, "10", actor=ANN).remaining_ml == 990_000


def test_every_required_test_must_pass_before_the_release(database: Database) -> None:
    gate_on(database, tests="beta-lactam, aflatoxin-m1")
    register(database)
    assert required_tests_left(database, CODE) == ("beta-lactam", "aflatoxin-m1")
    assert qa(database, CODE, "pass", test="aflatoxin-m1").qa_state is QaState.PENDING
    assert required_tests_left(database, CODE) == ("beta-lactam",)
    assert qa(database, CODE, "pass").qa_state is QaState.RELEASED
    assert required_tests_left(database, CODE) == ()


@pytest.mark.parametrize("make", [pending, released], ids=["pending", "released"])
def test_a_failed_test_rejects_the_batch_for_good(database: Database, make: Make) -> None:
    make(database)
    after = qa(database, CODE, "fail")
    assert after.qa_state is QaState.REJECTED
    assert list_batches(database).status_of(after) is BatchStatus.REJECTED
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="rejected by QA"):
        consume(database, CODE, "1", actor=ANN)
    with pytest.raises(RuleRefused, match="rejection is final"):
        qa(database, CODE, "pass")
    assert snapshot(database) == before


def test_a_batch_awaiting_qa_is_never_consumed(database: Database) -> None:
    pending(database)
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="awaiting QA release"):
        consume(database, CODE, "1", actor=ANN)
    assert snapshot(database) == before


@pytest.mark.parametrize(
    ("make", "refusal", "words"),
    [
        (deleted, BatchDeleted, "is deleted"),
        (recalled, RuleRefused, "is recalled"),
        (rejected, RuleRefused, "rejected by QA"),
    ],
    ids=["deleted", "recalled", "rejected"],
)
def test_no_lab_result_is_recorded_for_a_deleted_recalled_or_rejected_batch(
    database: Database,
    make: Make,
    refusal: type[Exception],
    words: str,
) -> None:
    make(database)
    before = snapshot(database)
    with pytest.raises(refusal, match=words):
        qa(database, CODE, "pass")
    assert snapshot(database) == before


def test_with_the_gate_off_a_new_batch_is_released_at_once(database: Database) -> None:
    put_setting(database, "qa_release_required", "false")
    batch = register(database)
    assert batch.qa_state is QaState.RELEASED
    assert consume(database, CODE, "1", actor=ANN).version == 2
    # A positive screen is positive whatever the setting says.
    assert qa(database, CODE, "fail").qa_state is QaState.REJECTED


def test_unknown_batch_stale_version_and_bad_input_change_nothing(database: Database) -> None:
    pending(database)
    before = snapshot(database)
    with pytest.raises(NotFound):
        qa(database, "SCH-20251204-0999", "pass")
    with pytest.raises(VersionConflict):
        record_qa_once(
            database,
            CODE,
            test="beta-lactam",
            result="pass",
            analyst=LAB,
            expected_version=5,
            actor=ANN.for_action(),
        )
    with pytest.raises(InvalidInput, match="pass or fail"):
        qa(database, CODE, "maybe")
    with pytest.raises(InvalidInput, match="analyst"):
        record_qa_once(database, CODE, test="beta-lactam", result="pass", analyst=" ", actor=ANN)
    assert snapshot(database) == before


def test_the_same_request_id_records_the_result_once(database: Database) -> None:
    pending(database)
    actor = ANN.for_action("qa-1")
    first = record_qa_once(
        database, CODE, test="beta-lactam", result="pass", analyst=LAB, actor=actor
    )
    again = record_qa_once(
        database, CODE, test="beta-lactam", result="pass", analyst=LAB, actor=actor
    )
    assert again.replayed
    assert again.event == first.event
    assert dataclasses.replace(again.batch, updated_at=first.batch.updated_at) == first.batch
    assert len(qa_results(database, CODE)) == 1
    with pytest.raises(InvalidInput, match="already used for qa"):
        record_qa_once(database, CODE, test="beta-lactam", result="fail", analyst=LAB, actor=actor)
    assert get_batch(database, CODE).qa_state is QaState.RELEASED
