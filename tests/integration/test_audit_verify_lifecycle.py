"""`audit verify` replays the lifecycle too: the full ledger (consume, dispose, reverse), the
QA state, holds and recalls, on both databases; and names every way it can be made to lie."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.services import audit_verify_lifecycle
from dairy_desktop.services.audit_verify import verify_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.holds import hold_once, recall_once, release_once
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.reverse import reverse_once
from tests.e2e.cli_runner import run_cli
from tests.integration.helpers import ANN, register
from tests.integration.test_audit_verify import _event_ids, _rehash
from tests.support.qa_gate import forget_qa_gate, set_qa_gate
from tests.support.tamper import tampering

USED = "SCH-20251204-0001"  # released by QA, consumed, written off, corrected, held, released
REJECTED = "SCH-20251204-0002"  # failed its screen, disposed of as a rejected load
RECALLED = "SCH-20251204-0003"  # released, used, recalled
WAITING = "SCH-20251204-0004"  # still awaiting QA


def _qa(database: Database, code: str, result: str) -> None:
    record_qa_once(
        database, code, test="beta-lactam", result=result, analyst="lab", actor=ANN.for_action()
    )


def _history(database: Database) -> dict[str, int]:
    """Four batches behind the QA gate, each a different path; the ids of USED's consume
    and its reversal."""
    set_qa_gate(database, True)
    for code in (USED, REJECTED, RECALLED, WAITING):
        register(database, code, "100")
    _qa(database, USED, "pass")
    used = consume_once(database, USED, "10", actor=ANN.for_action()).event.id
    dispose_once(database, USED, "2.5", reason_code="spillage", actor=ANN.for_action())
    reversal = reverse_once(database, used, reason="wrong batch", actor=ANN.for_action()).event.id
    hold_once(database, USED, reason="lab report awaited", actor=ANN.for_action())
    release_once(database, USED, reason="report clean", actor=ANN.for_action())
    consume_once(database, USED, "1", actor=ANN.for_action())
    _qa(database, REJECTED, "fail")
    dispose_once(database, REJECTED, None, reason_code="rejected-load", actor=ANN.for_action())
    _qa(database, RECALLED, "pass")
    consume_once(database, RECALLED, "5", actor=ANN.for_action(), order_id="ORDER-20251204-0001")
    recall_once(database, RECALLED, reason="supplier notice", actor=ANN.for_action())
    return {"consume": used, "reverse": reversal}


@pytest.fixture
def exact_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate as recorded, to the microsecond: in a test, every registration is within
    seconds of the test's own change of the gate setting."""
    monkeypatch.setattr(audit_verify_lifecycle, "SETTING_SLACK", timedelta(0))


def _change_behind_the_guard(
    database: Database, code: str, action: str, liters_ml: int | None, delta_ml: int
) -> int:
    """A change the guard never saw, with its row and a correctly chained event: what a
    knowing intruder (or a bypassed guard) leaves; the id of its event."""
    with tampering(database) as connection:
        row = connection.execute(
            text("SELECT id, remaining_ml, version FROM batches WHERE code = :code"),
            {"code": code},
        ).one()
        connection.execute(
            text(
                "UPDATE batches SET remaining_ml = remaining_ml + :delta, version = version + 1"
                " WHERE id = :id"
            ),
            {"delta": delta_ml, "id": row.id},
        )
        connection.execute(
            text(
                "INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml,"
                " version_after, operator, workstation) VALUES (:at, :batch, :action, :ml,"
                " :left, :version, 'intruder', 'nowhere')"
            ),
            {
                "at": "2026-01-01 07:00:00.000000",
                "batch": row.id,
                "action": action,
                "ml": liters_ml,
                "left": row.remaining_ml + delta_ml,
                "version": row.version + 1,
            },
        )
        inserted: int = connection.execute(text("SELECT max(id) FROM audit_events")).scalar_one()
    _rehash(database)
    return inserted


def test_a_lifecycle_history_verifies(database: Database, exact_gate: None) -> None:
    _history(database)

    verification = verify_audit(database)

    assert verification.ok, verification.problems
    assert verification.events == 16
    assert verification.problems == []


def test_a_lifecycle_history_verifies_with_the_gate_change_seconds_away(
    database: Database,
) -> None:
    _history(database)

    verification = verify_audit(database)

    assert verification.ok, verification.problems


def test_a_batch_registered_after_the_gate_row_was_deleted_verifies(
    database: Database, exact_gate: None
) -> None:
    """A deleted row is not in the settings history, and counts as on: the batch waits."""
    set_qa_gate(database, False)
    register(database, USED, "100")
    forget_qa_gate(database)
    register(database, WAITING, "100")

    verification = verify_audit(database)

    assert verification.ok, verification.problems


def test_the_gate_off_at_registration_is_replayed_as_released(
    database: Database, exact_gate: None
) -> None:
    set_qa_gate(database, False)
    register(database, USED, "100")
    with tampering(database) as connection:  # as if it had waited for QA after all
        connection.execute(
            text("UPDATE batches SET qa_state = 'pending' WHERE code = :code"), {"code": USED}
        )

    verification = verify_audit(database)

    assert verification.problems == [
        f"batch {USED}: the row says QA pending (history: QA released)"
    ]


def test_a_consume_while_held_is_named(database: Database, exact_gate: None) -> None:
    _history(database)
    hold_once(database, USED, reason="lab report awaited", actor=ANN.for_action())
    inserted = _change_behind_the_guard(database, USED, "consume", 1000, -1000)

    verification = verify_audit(database)

    assert not verification.ok
    assert verification.first_broken_event_id == inserted
    assert verification.mismatched_batches == [USED]
    assert verification.problems == [
        f"batch {USED}: event {inserted} consumes it while it was on hold"
    ]


def test_a_consume_while_awaiting_qa_is_named(database: Database, exact_gate: None) -> None:
    _history(database)
    inserted = _change_behind_the_guard(database, WAITING, "consume", 1000, -1000)

    verification = verify_audit(database)

    assert verification.mismatched_batches == [WAITING]
    assert verification.problems == [
        f"batch {WAITING}: event {inserted} consumes it while it was awaiting QA"
    ]


def test_a_consume_while_awaiting_qa_is_named_seconds_after_a_gate_change(
    database: Database,
) -> None:
    """Registered seconds after the gate was switched on: its register event says it
    started pending, so no guess from the settings history is needed."""
    _history(database)
    inserted = _change_behind_the_guard(database, WAITING, "consume", 1000, -1000)

    verification = verify_audit(database)

    assert verification.mismatched_batches == [WAITING]
    assert verification.problems == [
        f"batch {WAITING}: event {inserted} consumes it while it was awaiting QA"
    ]


def test_a_consume_of_a_rejected_batch_is_named(database: Database, exact_gate: None) -> None:
    _history(database)
    with tampering(database) as connection:  # give the rejected load its milk back first
        connection.execute(
            text("UPDATE batches SET remaining_ml = 100000 WHERE code = :code"),
            {"code": REJECTED},
        )
    inserted = _change_behind_the_guard(database, REJECTED, "consume", 1000, -1000)

    verification = verify_audit(database)

    assert verification.mismatched_batches == [REJECTED]
    assert f"event {inserted} consumes it while it was rejected by QA" in (verification.problems[0])


def test_a_reversal_that_puts_back_more_than_was_taken_is_named(
    database: Database, exact_gate: None
) -> None:
    ids = _history(database)
    with tampering(database) as connection:
        connection.execute(
            text(
                "UPDATE audit_events SET liters_ml = 20000, remaining_after_ml ="
                " remaining_after_ml + 10000 WHERE id = :id"
            ),
            {"id": ids["reverse"]},
        )
    _rehash(database)

    verification = verify_audit(database)

    assert verification.first_broken_event_id == ids["reverse"]
    assert verification.mismatched_batches == [USED]
    assert verification.problems[0] == (
        f"batch {USED}: event {ids['reverse']} puts back 20000 mL where event "
        f"{ids['consume']} took 10000 mL"
    )


def test_a_reversal_of_another_batchs_consume_is_named(
    database: Database, exact_gate: None
) -> None:
    ids = _history(database)
    other = _event_ids(database, RECALLED)[2]  # its consume
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE audit_events SET reverses_id = :other WHERE id = :id"),
            {"other": other, "id": ids["reverse"]},
        )
    _rehash(database)

    verification = verify_audit(database)

    assert verification.mismatched_batches == [USED]
    assert verification.problems[0] == (
        f"batch {USED}: event {ids['reverse']} reverses event {other} of another batch"
    )


def test_a_reversal_of_a_register_is_named(database: Database, exact_gate: None) -> None:
    ids = _history(database)
    registered = _event_ids(database, USED)[0]
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE audit_events SET reverses_id = :first WHERE id = :id"),
            {"first": registered, "id": ids["reverse"]},
        )
    _rehash(database)

    verification = verify_audit(database)

    assert verification.problems[0] == (
        f"batch {USED}: event {ids['reverse']} reverses event {registered}, a register, "
        "which is not reversible"
    )


def test_a_written_off_volume_put_back_by_hand_breaks_the_ledger(
    database: Database, exact_gate: None
) -> None:
    _history(database)
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE batches SET remaining_ml = remaining_ml + 2500 WHERE code = :code"),
            {"code": USED},
        )

    verification = verify_audit(database)

    assert verification.first_broken_event_id is None
    assert verification.mismatched_batches == [USED]
    assert "remaining mL 99000 (history: 96500)" in verification.problems[0]


@pytest.mark.parametrize(
    ("code", "column", "value", "said"),
    [
        (USED, "held_at", "updated_at", "QA released, held (history: QA released)"),
        (RECALLED, "recalled_at", "NULL", "QA released (history: QA released, recalled)"),
        (REJECTED, "qa_state", "'released'", "QA released (history: QA rejected)"),
        (WAITING, "qa_state", "'released'", "QA released (history: QA pending)"),
    ],
)
def test_a_lifecycle_state_changed_by_hand_is_named(
    database: Database, exact_gate: None, code: str, column: str, value: str, said: str
) -> None:
    _history(database)
    with tampering(database) as connection:
        connection.execute(
            text(f"UPDATE batches SET {column} = {value} WHERE code = :code"), {"code": code}
        )

    verification = verify_audit(database)

    assert verification.first_broken_event_id is None
    assert verification.mismatched_batches == [code]
    assert verification.problems == [f"batch {code}: the row says {said}"]


def test_a_lifecycle_mismatch_exits_8_on_the_command_line(
    capsys: pytest.CaptureFixture[str], database_url: str, database: Database, exact_gate: None
) -> None:
    _history(database)
    hold_once(database, USED, reason="lab report awaited", actor=ANN.for_action())
    inserted = _change_behind_the_guard(database, USED, "consume", 1000, -1000)

    outcome = run_cli(capsys, database_url, "audit", "verify")

    assert outcome.code == 8
    assert f"event {inserted} consumes it while it was on hold" in outcome.out
    assert outcome.err.count("\n") == 1
    assert USED in outcome.err


def test_a_stored_qa_state_is_checked_exactly_even_seconds_after_a_gate_change(
    database: Database,
) -> None:
    """The register event says the batch started pending: no settings-history tolerance
    can let a row that says released pass."""
    _history(database)
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE batches SET qa_state = 'released' WHERE code = :code"), {"code": WAITING}
        )

    verification = verify_audit(database)

    assert verification.first_broken_event_id is None
    assert verification.problems == [
        f"batch {WAITING}: the row says QA released (history: QA pending)"
    ]


def _set_recorded_state(database: Database, event_id: int, state: str) -> None:
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE audit_events SET qa_state_after = :state WHERE id = :id"),
            {"state": state, "id": event_id},
        )


def test_an_edited_recorded_qa_state_breaks_the_chain(database: Database) -> None:
    _history(database)
    registered = _event_ids(database, WAITING)[0]
    _set_recorded_state(database, registered, "released")

    verification = verify_audit(database)

    assert verification.first_broken_event_id == registered
    assert verification.mismatched_batches == [WAITING]
    assert verification.problems == [
        f"batch {WAITING}: event {registered} was changed after it was written"
        " (its hash does not match)"
    ]


def test_a_recorded_qa_state_the_result_cannot_leave_is_named_even_rehashed(
    database: Database, exact_gate: None
) -> None:
    _history(database)
    passed = _event_ids(database, USED)[1]  # the pass that released it
    _set_recorded_state(database, passed, "pending")
    _rehash(database)

    verification = verify_audit(database)

    assert verification.first_broken_event_id == passed
    assert verification.problems == [
        f"batch {USED}: event {passed} (qa) records QA pending where its history gives QA released"
    ]


def test_a_registration_recorded_as_rejected_is_named(database: Database) -> None:
    _history(database)
    registered = _event_ids(database, WAITING)[0]
    _set_recorded_state(database, registered, "rejected")
    _rehash(database)

    verification = verify_audit(database)

    assert verification.first_broken_event_id == registered
    assert verification.problems == [
        f"batch {WAITING}: event {registered} registers it as QA 'rejected'"
    ]
