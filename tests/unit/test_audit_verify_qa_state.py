"""`audit verify` takes a batch's starting QA state from its register event, and checks the
state a qa event records against the result and the tests the plant required then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.db.audit_chain_queries import SettingChange, StoredEvent
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.audit_verify_lifecycle import Gate, Life, starting_lives, step

UPGRADE = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
TESTS_SAVED = UPGRADE + timedelta(days=10)
LATER = TESTS_SAVED + timedelta(days=1)
NO_SETTINGS = Gate([], {})


def _event(action: str, state_after: str | None, **lifecycle: str) -> StoredEvent:
    return StoredEvent(
        1, 1, "SCH-1", action, LATER, None, 100_000, 1, None, "ann", "PC-1", None, None, None,
        None, None, qa_state_after=state_after, **lifecycle,  # type: ignore[arg-type]
    )  # fmt: skip


def _qa(result: str, state_after: str | None, test: str = "beta-lactam") -> StoredEvent:
    return _event("qa", state_after, qa_test=test, qa_result=result)


def test_a_registration_starts_in_the_state_its_event_records() -> None:
    assert starting_lives(_event("register", "pending")) == (None, {Life(QaState.PENDING)})
    assert starting_lives(_event("register", "released")) == (None, {Life(QaState.RELEASED)})


def test_a_registration_from_before_the_gate_started_released() -> None:
    assert starting_lives(_event("register", None)) == (None, {Life(QaState.RELEASED)})


def test_a_registration_recorded_as_rejected_is_a_problem() -> None:
    why, _ = starting_lives(_event("register", "rejected"))

    assert why == "registers it as QA 'rejected'"


def test_a_pass_of_every_required_test_must_record_the_release() -> None:
    pending = Life(QaState.PENDING)

    assert step(pending, _qa("pass", "released"), NO_SETTINGS) == (
        None,
        {Life(QaState.RELEASED, frozenset({"beta-lactam"}))},
    )
    why, _ = step(pending, _qa("pass", "pending"), NO_SETTINGS)
    assert why == "records QA pending where its history gives QA released"


def test_a_pass_short_of_the_required_tests_must_leave_it_pending() -> None:
    gate = Gate(
        [SettingChange(TESTS_SAVED, "qa_required_tests", "beta-lactam, SCC")],
        {"qa_required_tests": "beta-lactam, SCC"},
    )

    assert step(Life(QaState.PENDING), _qa("pass", "pending"), gate)[0] is None
    why, after = step(Life(QaState.PENDING), _qa("pass", "released"), gate)
    assert why == "records QA released where its history gives QA pending"
    assert {life.qa for life in after} == {QaState.RELEASED}  # carried on as recorded


def test_a_fail_must_record_the_rejection() -> None:
    assert step(Life(QaState.RELEASED), _qa("fail", "rejected"), NO_SETTINGS) == (
        None,
        {Life(QaState.REJECTED)},
    )
    why, _ = step(Life(QaState.PENDING), _qa("fail", "released"), NO_SETTINGS)
    assert why == "records QA released where its history gives QA rejected"


def test_a_qa_event_without_its_state_is_a_problem() -> None:
    why, _ = step(Life(QaState.PENDING), _qa("pass", None), NO_SETTINGS)

    assert why == "records a QA result without the QA state it left"


def test_the_required_tests_are_the_default_until_first_saved() -> None:
    gate = Gate(
        [SettingChange(TESTS_SAVED, "qa_required_tests", "beta-lactam, SCC")],
        {"qa_required_tests": "beta-lactam, SCC"},
    )

    assert gate.required_near(UPGRADE) == [frozenset({"beta-lactam"})]
    assert gate.required_near(LATER) == [frozenset({"beta-lactam", "scc"})]
