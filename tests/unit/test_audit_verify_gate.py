"""`audit verify` reads the QA gate a registration saw from the settings history, and
considers both values where the record cannot tell them apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.db.audit_chain_queries import SettingChange
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.audit_verify_lifecycle import SETTING_SLACK, Gate

UPGRADE = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
GATE_ON = UPGRADE + timedelta(days=10)
LATER = GATE_ON + timedelta(days=1)


def _states(gate: Gate, at: datetime) -> set[QaState]:
    return {life.qa for life in gate.starting_lives(at)}


def _upgraded_plant() -> Gate:
    """Upgraded with stock (gate recorded off), switched on ten days later."""
    return Gate(
        [
            SettingChange(UPGRADE, "qa_release_required", "false"),
            SettingChange(GATE_ON, "qa_release_required", "true"),
        ],
        {"qa_release_required": "true"},
    )


def test_a_registration_sees_the_gate_in_force_at_its_instant() -> None:
    gate = _upgraded_plant()

    assert _states(gate, UPGRADE - timedelta(days=30)) == {QaState.RELEASED}
    assert _states(gate, UPGRADE + timedelta(days=2)) == {QaState.RELEASED}
    assert _states(gate, LATER) == {QaState.PENDING}


def test_near_a_change_of_the_gate_both_states_are_possible() -> None:
    gate = _upgraded_plant()

    for offset in (-SETTING_SLACK / 2, SETTING_SLACK / 2):
        assert _states(gate, GATE_ON + offset) == {QaState.PENDING, QaState.RELEASED}
    assert _states(gate, GATE_ON + 2 * SETTING_SLACK) == {QaState.PENDING}
    assert _states(gate, GATE_ON - 2 * SETTING_SLACK) == {QaState.RELEASED}


def test_a_gate_row_deleted_after_its_last_record_may_have_been_seen_as_on() -> None:
    gate = Gate([SettingChange(UPGRADE, "qa_release_required", "false")], {})

    assert _states(gate, LATER) == {QaState.PENDING, QaState.RELEASED}


def test_a_new_database_before_its_first_record_could_be_either() -> None:
    gate = Gate(
        [SettingChange(UPGRADE, "qa_release_required", "true")], {"qa_release_required": "true"}
    )

    assert _states(gate, UPGRADE - timedelta(days=1)) == {QaState.PENDING, QaState.RELEASED}
    assert _states(gate, LATER) == {QaState.PENDING}


def test_the_required_tests_are_the_default_until_first_saved() -> None:
    gate = Gate(
        [SettingChange(GATE_ON, "qa_required_tests", "beta-lactam, SCC")],
        {"qa_required_tests": "beta-lactam, SCC"},
    )

    assert gate.required_near(UPGRADE) == [frozenset({"beta-lactam"})]
    assert gate.required_near(LATER) == [frozenset({"beta-lactam", "scc"})]
