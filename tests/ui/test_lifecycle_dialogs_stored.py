"""The lifecycle dialogs against the real services and storage, on both databases: what they
record, a refusal from the database shown in place with the data unchanged, and another PC's
change met with the conflict prompt and a reload."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.dispose_dialog import DisposeDialog
from dairy_desktop.ui.dialogs.hold_dialog import HoldChange, HoldDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import QaEntry
from dairy_desktop.ui.dialogs.qa_dialog import QaDialog
from dairy_desktop.ui.dialogs.reverse_dialog import ReverseDialog
from dairy_desktop.ui.dialogs.session_calls import SessionCalls
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.support.qa_gate import set_qa_gate

CODE = "SCH-20251204-0001"


def _release(session: AppSession, code: str = CODE) -> None:
    """Pass the default required test, as the lab would."""
    batch = session.batch(code)
    if batch.qa_state is QaState.PENDING:
        SessionCalls(session).record_qa(
            code,
            _pass(),
            expected_version=batch.version,
            request_id=f"release-{code}",
        )


def _pass() -> QaEntry:
    return QaEntry(test="beta-lactam", result="pass", analyst="lab")


def _add(qtbot, dialog: ChangeDialog) -> ChangeDialog:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _reload_on_conflict(dialog: ChangeDialog, seen: list[ConflictPrompt]) -> None:
    def on_prompt(prompt: ConflictPrompt) -> None:
        seen.append(prompt)
        QTimer.singleShot(0, prompt.reload_button.click)

    dialog.conflict_shown.connect(on_prompt)


def test_a_new_batch_awaits_qa_and_a_pass_in_the_dialog_releases_it(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    set_qa_gate(session.database, True)
    register(session.database, liters="100")
    pending = session.batch(CODE)
    assert pending.qa_state is QaState.PENDING
    dialog = _add(qtbot, QaDialog(pending, PlantSettings(), "maria", SessionCalls(session), runner))
    assert dialog.test.currentText() == "beta-lactam"
    dialog.pass_radio.setChecked(True)
    dialog.kit.setText("SNAP lot 4471")
    dialog.submit_button.click()
    assert dialog.result() == QaDialog.DialogCode.Accepted
    released = session.batch(CODE)
    assert (released.qa_state, released.version) == (QaState.RELEASED, 2)
    qa = [e for e in session.history(CODE) if e.action is AuditAction.QA]
    assert [(e.qa_test, e.qa_result, e.qa_analyst, e.qa_kit) for e in qa] == [
        ("beta-lactam", "pass", "maria", "SNAP lot 4471")
    ]


def test_qa_on_a_rejected_batch_is_refused_in_place_and_nothing_recorded(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="100")
    calls = SessionCalls(session)
    calls.record_qa(
        CODE,
        QaEntry(test="beta-lactam", result="fail", analyst="lab"),
        expected_version=1,
        request_id="fail-1",
    )
    rejected = session.batch(CODE)
    dialog = _add(qtbot, QaDialog(rejected, PlantSettings(), "maria", calls, runner))
    dialog.pass_radio.setChecked(True)
    dialog.submit_button.click()
    assert dialog.isVisible()
    assert not dialog.message.isHidden()
    assert "rejected" in dialog.message.text()
    assert session.batch(CODE) == rejected
    assert len(session.history(CODE)) == 2


def test_hold_then_another_pcs_release_is_a_conflict_then_a_clear_refusal(
    qtbot, session: AppSession, other_pc: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="100")
    calls = SessionCalls(session)
    held = calls.hold(CODE, "lab asked", expected_version=1, request_id="hold-1")
    dialog = _add(qtbot, HoldDialog(held, HoldChange.RELEASE, calls, runner))
    SessionCalls(other_pc).release(
        CODE, "report clean", expected_version=held.version, request_id="release-elsewhere"
    )
    prompts: list[ConflictPrompt] = []
    _reload_on_conflict(dialog, prompts)
    dialog.reason.setPlainText("supplier report clean")
    dialog.submit_button.click()
    assert len(prompts) == 1
    assert "On hold" in prompts[0].cell_text(3, 1)
    assert dialog.loaded.version == held.version + 1
    current = session.batch(CODE)
    dialog.submit_button.click()  # sent again: nothing is held any more
    assert dialog.isVisible()
    assert "not on hold" in dialog.message.text()
    assert session.batch(CODE) == current


def test_a_recall_lists_the_orders_that_used_the_batch(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="100")
    _release(session)
    session.consume(CODE, "12.5", order_id="ORDER-20251204-1234", expected_version=None)
    batch = session.batch(CODE)
    dialog = _add(qtbot, HoldDialog(batch, HoldChange.RECALL, SessionCalls(session), runner))

    def confirm(box: QMessageBox) -> None:
        button = next(b for b in box.buttons() if b.text() == "&Recall for good")
        QTimer.singleShot(0, button.click)

    dialog.confirm_shown.connect(confirm)
    recalled = []
    dialog.recalled.connect(recalled.append)
    dialog.reason.setPlainText("supplier recall notice 12")
    dialog.submit_button.click()
    assert session.batch(CODE).is_recalled
    orders = recalled[0].orders
    assert [(e.order_id, e.liters_ml, e.operator, e.workstation) for e in orders] == [
        ("ORDER-20251204-1234", 12_500, "maria", "OFFICE-PC-1")
    ]


def test_dispose_all_of_an_expired_batch_as_expired(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="40", days=1, received=datetime.now(UTC) - timedelta(days=2))
    batch = session.batch(CODE)
    dialog = _add(qtbot, DisposeDialog(batch, SessionCalls(session), runner, expired=True))
    dialog.submit_button.click()
    assert dialog.result() == DisposeDialog.DialogCode.Accepted
    after = session.batch(CODE)
    assert after.remaining_ml == 0
    event = session.history(CODE)[-1]
    assert (event.action, event.liters_ml, event.reason_code) == (
        AuditAction.DISPOSE,
        40_000,
        "expired",
    )


def test_dispose_of_a_deleted_batch_is_refused_in_place_and_nothing_changes(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="40")
    loaded = session.batch(CODE)
    dialog = _add(qtbot, DisposeDialog(loaded, SessionCalls(session), runner))
    session.delete(CODE, "entered twice")
    deleted = session.batch(CODE)
    _reload_on_conflict(dialog, [])
    dialog.all_remaining.setChecked(True)
    dialog.reason.setCurrentIndex(dialog.reason.findData(DisposeReason.SPILLAGE.value))
    dialog.submit_button.click()  # a conflict first: the batch moved on
    dialog.submit_button.click()  # then the database's reason
    assert dialog.isVisible()
    assert "deleted" in dialog.message.text()
    assert session.batch(CODE) == deleted


def test_reverse_puts_the_litres_back_and_a_second_reverse_is_refused_in_place(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="100")
    _release(session)
    session.consume(CODE, "30", order_id=None, expected_version=None)
    consume = session.history(CODE)[-1]
    batch = session.batch(CODE)
    calls = SessionCalls(session)
    dialog = _add(qtbot, ReverseDialog(batch, consume, calls, runner))
    dialog.reason.setPlainText("consumed from the wrong batch")
    dialog.submit_button.click()
    assert dialog.result() == ReverseDialog.DialogCode.Accepted
    after = session.batch(CODE)
    assert (after.remaining_ml, after.version) == (100_000, batch.version + 1)
    reversal = session.history(CODE)[-1]
    assert (reversal.action, reversal.reverses_id) == (AuditAction.REVERSE, consume.id)

    again = _add(qtbot, ReverseDialog(after, consume, calls, runner))
    again.reason.setPlainText("once more")
    again.submit_button.click()
    assert again.isVisible()
    assert "reversed" in again.message.text()
    assert session.batch(CODE) == after


@pytest.mark.parametrize("change", [HoldChange.HOLD, HoldChange.RECALL])
def test_cancel_leaves_the_batch_and_its_history_as_they_were(
    qtbot, session: AppSession, runner: TaskRunner, change: HoldChange
) -> None:  # type: ignore[no-untyped-def]
    register(session.database, liters="100")
    before, history = session.batch(CODE), session.history(CODE)
    dialog = _add(qtbot, HoldDialog(before, change, SessionCalls(session), runner))
    dialog.reason.setPlainText("changed my mind")
    dialog.buttons.rejected.emit()
    assert dialog.result() == HoldDialog.DialogCode.Rejected
    assert (session.batch(CODE), session.history(CODE)) == (before, history)
