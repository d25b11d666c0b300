"""The lifecycle in the main window: scanning a batch awaiting QA opens QA; a held, rejected or
recalled one says why and offers the next step; the menus offer what the batch's state allows;
the details pane shows intake and QA and its buttons open Dispose, QA and Reverse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.register import register_batch
from dairy_desktop.ui.dialogs.blocked_batch_prompt import BlockedBatchPrompt
from dairy_desktop.ui.dialogs.dispose_dialog import DisposeDialog
from dairy_desktop.ui.dialogs.hold_dialog import HoldDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import QaEntry
from dairy_desktop.ui.dialogs.qa_dialog import QaDialog
from dairy_desktop.ui.dialogs.reverse_dialog import ReverseDialog
from dairy_desktop.ui.dialogs.session_calls import SessionCalls
from dairy_desktop.ui.main.window import MainWindow
from tests.integration.helpers import ANN, register
from tests.support.qa_gate import set_qa_gate
from tests.support.widgets import closed

CODE = "SCH-20251204-0001"


def _drive(window: MainWindow, *acts: Callable[[QWidget], None]) -> list[QWidget]:
    """Run each act inside the next modal dialog, in turn; a failing check closes it."""
    seen: list[QWidget] = []
    pending = list(acts)

    def opened(dialog: QWidget) -> None:
        seen.append(dialog)
        act = pending.pop(0)
        if not pending:
            window.dialog_opened.disconnect(opened)

        def guarded() -> None:
            try:
                act(dialog)
            except BaseException:
                dialog.reject()  # type: ignore[attr-defined]
                raise

        QTimer.singleShot(0, guarded)

    window.dialog_opened.connect(opened)
    return seen


def _loaded(qtbot: QtBot, window: MainWindow, code: str = CODE) -> None:
    window.reload()
    qtbot.waitUntil(lambda: window.find_row(code) is not None, timeout=5_000)
    window.select_code(code)


def _calls(window: MainWindow) -> SessionCalls:
    assert window.session is not None
    return SessionCalls(window.session)


def test_scanning_a_batch_awaiting_qa_opens_the_qa_dialog_and_its_pass_releases_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    set_qa_gate(window.session.database, True)
    register(window.session.database, liters="80")
    _loaded(qtbot, window)
    assert window.find_row(CODE).status.value == "pending_qa"  # type: ignore[union-attr]

    def in_qa(dialog: QWidget) -> None:
        assert isinstance(dialog, QaDialog)
        assert f"Scanned: {CODE}" in dialog.summary.text()
        dialog.pass_radio.setChecked(True)
        dialog.submit_button.click()

    seen = _drive(window, in_qa)
    outcome = window.scans.handle(CODE)
    assert outcome == f"batch {CODE}: awaiting QA, QA dialog opened"
    qtbot.waitUntil(lambda: bool(seen) and closed(seen[0]), timeout=5_000)
    assert window.session.batch(CODE).qa_state is QaState.RELEASED
    qtbot.waitUntil(lambda: window.find_row(CODE).status.value != "pending_qa")  # type: ignore[union-attr]


def test_scanning_a_held_batch_says_why_and_offers_release(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register(window.session.database, liters="80")
    _calls(window).hold(CODE, "lab asked", expected_version=1, request_id="h1")
    _loaded(qtbot, window)

    def in_prompt(dialog: QWidget) -> None:
        assert isinstance(dialog, BlockedBatchPrompt)
        assert "is on hold" in dialog.text.text()
        assert "Why: <b>lab asked</b>" in dialog.reason.text()  # from the audit trail
        assert dialog.step_button is not None
        assert dialog.step_button.isDefault()
        dialog.step_button.click()

    def in_release(dialog: QWidget) -> None:
        assert isinstance(dialog, HoldDialog)
        assert dialog.objectName() == "releaseDialog"
        dialog.reason.setPlainText("supplier report clean")
        dialog.submit_button.click()

    seen = _drive(window, in_prompt, in_release)
    outcome = window.scans.handle(CODE)
    assert outcome.startswith(f"refused: batch {CODE} is on hold")
    qtbot.waitUntil(lambda: len(seen) == 2 and closed(seen[1]), timeout=5_000)
    assert not window.session.batch(CODE).is_held


def test_scanning_a_rejected_batch_offers_dispose_as_a_rejected_load(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register(window.session.database, liters="80")
    fail = QaEntry(test="beta-lactam", result="fail", analyst="lab")
    _calls(window).record_qa(CODE, fail, expected_version=1, request_id="q1")
    _loaded(qtbot, window)

    def in_prompt(dialog: QWidget) -> None:
        assert isinstance(dialog, BlockedBatchPrompt)
        assert "rejected by QA" in dialog.text.text()
        assert "beta-lactam failed (analyst lab)" in dialog.reason.text()
        assert dialog.step_button is not None
        dialog.step_button.click()

    def in_dispose(dialog: QWidget) -> None:
        assert isinstance(dialog, DisposeDialog)
        assert dialog.reason.count() == 1  # rejected-load, fixed
        dialog.all_remaining.setChecked(True)
        dialog.submit_button.click()

    seen = _drive(window, in_prompt, in_dispose)
    window.scans.handle(CODE)
    qtbot.waitUntil(lambda: len(seen) == 2 and closed(seen[1]), timeout=5_000)
    last = window.session.history(CODE)[-1]
    assert (last.action, last.reason_code, last.liters_ml) == (
        AuditAction.DISPOSE,
        "rejected-load",
        80_000,
    )


def test_the_menus_offer_what_the_batchs_state_allows(qtbot: QtBot, window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database, liters="80")
    _loaded(qtbot, window)
    enabled = {a.text(): a.isEnabled() for a in window.lifecycle_actions}
    assert enabled == {
        "&QA result…": True,
        "&Hold…": True,
        "R&elease hold…": False,
        "Rec&all…": True,
        "Dis&pose…": True,
    }
    assert set(window.lifecycle_actions) <= set(window.table.actions())  # the table's menu
    _calls(window).hold(CODE, "lab asked", expected_version=1, request_id="h1")
    window.poll()
    qtbot.waitUntil(lambda: window.act_release.isEnabled(), timeout=5_000)
    assert not window.act_hold.isEnabled()
    assert not window.act_consume.isEnabled()


def test_the_details_pane_shows_the_intake_with_a_warm_load_flagged(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register_batch(
        window.session.database,
        code=CODE,
        liters="4200",
        shelf_life_days=5,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        supplier="Hof Schmidt",
        tanker="TRL-4471",
        seal="0098812",
        temperature="8.2",
        actor=ANN,
    )
    _loaded(qtbot, window)
    text = window.details.intake.text()
    assert "Hof Schmidt" in text
    assert "tanker TRL-4471" in text
    assert "seal 0098812" in text
    assert "8.2 °C, above the plant's limit of 7.0 °C" in text


def test_the_expired_batchs_dispose_button_writes_off_all_that_remains(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register(
        window.session.database, liters="40", days=1, received=datetime.now(UTC) - timedelta(days=2)
    )
    _loaded(qtbot, window)
    pane = window.details
    assert pane.dispose_button.isVisibleTo(pane)
    assert not pane.qa_button.isVisibleTo(pane)

    def in_dispose(dialog: QWidget) -> None:
        assert isinstance(dialog, DisposeDialog)
        assert "— Expired" in dialog.summary.text()  # the window's status, with the expiry
        assert dialog.all_remaining.isChecked()
        assert dialog.chosen_reason() is not None
        assert dialog.chosen_reason().value == "expired"  # type: ignore[union-attr]
        dialog.submit_button.click()

    seen = _drive(window, in_dispose)
    pane.dispose_button.click()
    qtbot.waitUntil(lambda: bool(seen) and closed(seen[0]), timeout=5_000)
    assert window.session.batch(CODE).remaining_ml == 0
    qtbot.waitUntil(lambda: not pane.dispose_button.isVisibleTo(pane), timeout=5_000)


def test_a_pending_batch_shows_its_qa_state_and_a_qa_button(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    set_qa_gate(window.session.database, True)
    register(window.session.database, liters="80")
    _loaded(qtbot, window)
    pane = window.details
    assert pane.qa_button.isVisibleTo(pane)
    qtbot.waitUntil(lambda: "still to pass: beta-lactam" in pane.qa.text(), timeout=5_000)

    def close(dialog: QWidget) -> None:
        assert isinstance(dialog, QaDialog)
        dialog.reject()

    seen = _drive(window, close)
    pane.qa_button.click()
    assert len(seen) == 1


def test_a_consume_is_reversed_from_the_history_and_then_shows_as_reversed(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register(window.session.database, liters="80")
    window.session.consume(CODE, "30", order_id=None, expected_version=None)
    _loaded(qtbot, window)
    pane = window.details
    qtbot.waitUntil(lambda: pane.history.rowCount() == 2, timeout=5_000)
    pane.history.selectRow(1)  # the register: nothing to reverse
    assert not pane.reverse_button.isEnabled()
    pane.history.selectRow(0)  # the consume, newest first
    assert pane.reverse_button.isEnabled()

    def in_reverse(dialog: QWidget) -> None:
        assert isinstance(dialog, ReverseDialog)
        assert dialog.original.action is AuditAction.CONSUME
        dialog.reason.setPlainText("consumed from the wrong batch")
        dialog.submit_button.click()

    seen = _drive(window, in_reverse)
    pane.reverse_button.click()
    qtbot.waitUntil(lambda: bool(seen) and closed(seen[0]), timeout=5_000)
    assert window.session.batch(CODE).remaining_ml == 80_000
    qtbot.waitUntil(lambda: pane.history.rowCount() == 3, timeout=5_000)
    actions = [pane.history.item(r, 1).text() for r in range(3)]
    assert actions[0].startswith("reverse of #")
    assert "reversed by #" in actions[1]
    pane.history.selectRow(1)  # the reversed consume offers nothing
    assert not pane.reverse_button.isEnabled()
    pane.history.selectRow(0)  # nor does the reversal
    assert not pane.reverse_button.isEnabled()


def test_enter_on_a_batch_awaiting_qa_says_why_not_and_what_to_do(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    set_qa_gate(window.session.database, True)
    register(window.session.database, liters="80")
    _loaded(qtbot, window)
    opened: list[QWidget] = []
    window.dialog_opened.connect(opened.append)
    window.open_consume()  # what Enter and a double click on the row do
    assert opened == []
    message = window.statusBar().currentMessage()
    assert "is awaiting QA release; nothing can be consumed" in message
    assert "Record its QA result with Ctrl+T" in message
