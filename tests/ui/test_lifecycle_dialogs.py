"""Every path through the hold, release, recall, QA, dispose and reverse dialogs, against an
in-memory stand-in for the services: what is sent (with the loaded version), each refusal
shown in place with nothing changed, the conflict prompt and reload, cancel and Escape."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.errors import RuleRefused
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.dialogs.blocked_batch_prompt import BlockedBatchPrompt
from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.dispose_dialog import DisposeDialog
from dairy_desktop.ui.dialogs.hold_dialog import HoldChange, HoldDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import Recalled
from dairy_desktop.ui.dialogs.qa_dialog import QaDialog
from dairy_desktop.ui.dialogs.recalled_orders import RecalledOrdersDialog
from dairy_desktop.ui.dialogs.reverse_dialog import ReverseDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.support.factories import make_event
from tests.support.locales import default_locale
from tests.ui.lifecycle_fakes import NOW, FakeCalls, batch
from tests.ui.mnemonics import mnemonics

CODE = "SCH-20251204-0001"


@pytest.fixture
def en_us() -> Iterator[None]:
    yield from default_locale("en_US")


@pytest.fixture
def calls() -> FakeCalls:
    return FakeCalls(batch(CODE))


def _shown(qtbot: QtBot, dialog: ChangeDialog) -> ChangeDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _alt(key: Qt.Key) -> None:
    """Alt+letter as typed: to the widget with focus, which the mnemonic moves on from."""
    QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)


def _answer_conflict(dialog: ChangeDialog, *, reload: bool, seen: list[ConflictPrompt]) -> None:
    def on_prompt(prompt: ConflictPrompt) -> None:
        seen.append(prompt)
        QTimer.singleShot(0, (prompt.reload_button if reload else prompt.cancel_button).click)

    dialog.conflict_shown.connect(on_prompt)


def _hold(qtbot: QtBot, calls: FakeCalls, runner: TaskRunner, change: HoldChange) -> HoldDialog:
    dialog = HoldDialog(calls.batches[CODE], change, calls, runner)
    _shown(qtbot, dialog)
    return dialog


# hold and release


def test_hold_sends_the_reason_with_the_loaded_version_on_enter(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.HOLD)
    changed = []
    dialog.batch_changed.connect(changed.append)
    assert dialog.submit_button.isDefault()
    qtbot.keyClicks(dialog.reason, "supplier reported a treated cow")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.result() == HoldDialog.DialogCode.Accepted
    name, args, kw = calls.sent[0]
    assert (name, args, kw["expected_version"]) == (
        "hold",
        (CODE, "supplier reported a treated cow"),
        1,
    )
    assert [b.is_held for b in changed] == [True]


def test_hold_without_a_reason_says_so_and_sends_nothing(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.HOLD)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "A reason is required" in dialog.error_labels["reason"].text()
    assert QApplication.focusWidget() is dialog.reason
    assert calls.sent == []
    assert calls.batches[CODE].version == 1


def test_a_refused_release_is_explained_in_place_and_changes_nothing(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.RELEASE)
    calls.refusal = RuleRefused(f"Batch {CODE} is not on hold; there is nothing to release.")
    dialog.reason.setPlainText("report clean")
    dialog.submit_button.click()
    assert dialog.isVisible()
    assert not dialog.message.isHidden()
    assert "is not on hold" in dialog.message.text()
    assert calls.batches[CODE].version == 1
    assert dialog.submit_button.isEnabled()  # may be corrected and sent again


def test_a_hold_after_another_pc_changed_the_batch_prompts_then_reloads(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.HOLD)
    calls.changed_elsewhere(CODE, remaining_ml=60_000)
    prompts: list[ConflictPrompt] = []
    _answer_conflict(dialog, reload=True, seen=prompts)
    dialog.reason.setPlainText("lab asked for it")
    dialog.submit_button.click()
    assert len(prompts) == 1
    assert prompts[0].cell_text(1, 1) == "100.000 L"
    assert "60.000 L" in prompts[0].cell_text(1, 2)
    assert dialog.isVisible()
    assert dialog.loaded.version == 2  # reloaded
    assert "version 2" in dialog.summary.text()
    assert dialog.reason_text() == "lab asked for it"  # typed reason kept
    assert not calls.batches[CODE].is_held
    dialog.submit_button.click()  # sent again, against the current version
    assert calls.sent[-1][2]["expected_version"] == 2
    assert calls.batches[CODE].is_held


def test_a_hold_placed_elsewhere_meanwhile_is_said_as_soon_as_the_dialog_reloads(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.HOLD)
    calls.changed_elsewhere(CODE, held_at=NOW)
    _answer_conflict(dialog, reload=True, seen=[])
    dialog.reason.setPlainText("lab asked for it")
    dialog.submit_button.click()
    assert dialog.isVisible()
    assert not dialog.message.isHidden()
    assert "is on hold already (last changed by jonas on OFFICE-PC-2)" in dialog.message.text()
    assert "On hold" in dialog.summary.text()
    assert [name for name, _args, _kw in calls.sent] == ["hold"]  # only the stale one


def test_cancel_on_the_conflict_prompt_closes_the_dialog_and_saves_nothing(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.HOLD)
    calls.changed_elsewhere(CODE)
    changed = []
    dialog.batch_changed.connect(changed.append)
    _answer_conflict(dialog, reload=False, seen=[])
    dialog.reason.setPlainText("lab asked for it")
    dialog.submit_button.click()
    assert dialog.result() == HoldDialog.DialogCode.Rejected
    assert [b.version for b in changed] == [2]  # the table still learns the new state
    assert not calls.batches[CODE].is_held


def test_escape_cancels_and_sends_nothing(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.HOLD)
    qtbot.keyClicks(dialog.reason, "typed, then thought better of it")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == HoldDialog.DialogCode.Rejected
    assert calls.sent == []


class _SlowCalls(FakeCalls):
    """Each hold waits until the test lets it go (a slow link)."""

    def __init__(self) -> None:
        super().__init__(batch(CODE))
        self.go = threading.Event()

    def hold(self, code: str, reason: str, *, expected_version: int, request_id: str):  # type: ignore[no-untyped-def]
        self.go.wait(10)
        return super().hold(code, reason, expected_version=expected_version, request_id=request_id)


def test_escape_while_the_hold_is_sent_keeps_the_dialog_until_the_answer(qtbot: QtBot) -> None:
    slow = _SlowCalls()
    runner = TaskRunner()  # threaded: the answer comes later
    dialog = HoldDialog(slow.batches[CODE], HoldChange.HOLD, slow, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.reason.setPlainText("lab asked for it")
    dialog.submit()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert closed == []
    assert "being sent" in dialog.message.text()
    slow.go.set()
    qtbot.waitUntil(lambda: closed != [], timeout=10_000)
    assert closed == [HoldDialog.DialogCode.Accepted]
    assert slow.batches[CODE].is_held
    runner.shutdown()


# recall


def _confirm_recall(dialog: HoldDialog, *, recall: bool) -> list[QMessageBox]:
    seen: list[QMessageBox] = []

    def answer(box: QMessageBox) -> None:
        seen.append(box)
        wanted = "&Recall for good" if recall else "&Back"
        button = next(b for b in box.buttons() if b.text() == wanted)
        QTimer.singleShot(0, button.click)

    dialog.confirm_shown.connect(answer)
    return seen


def test_recall_asks_once_more_and_back_sends_nothing(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _hold(qtbot, calls, runner, HoldChange.RECALL)
    boxes = _confirm_recall(dialog, recall=False)
    dialog.reason.setPlainText("supplier recall notice 12")
    dialog.submit_button.click()
    assert len(boxes) == 1
    assert boxes[0].defaultButton().text() == "&Back"  # a reflexive Enter makes no recall
    assert dialog.isVisible()
    assert calls.sent == []
    assert not calls.batches[CODE].is_recalled


def test_a_confirmed_recall_hands_on_the_orders_that_used_the_batch(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    loaded = batch(CODE)
    uses = [
        make_event(loaded, AuditAction.CONSUME, NOW, id=7, liters_ml=12_500, order_id="ORDER-1"),
        make_event(loaded, AuditAction.CONSUME, NOW, id=9, liters_ml=2_000, order_id="ORDER-2"),
    ]
    uses[1] = dataclasses.replace(uses[1], reversed_by=11)
    calls = FakeCalls(loaded, events=uses)
    dialog = _hold(qtbot, calls, runner, HoldChange.RECALL)
    _confirm_recall(dialog, recall=True)
    recalled = []
    dialog.recalled.connect(recalled.append)
    dialog.reason.setPlainText("supplier recall notice 12")
    dialog.submit_button.click()
    assert dialog.result() == HoldDialog.DialogCode.Accepted
    assert calls.batches[CODE].is_recalled
    assert [e.order_id for e in recalled[0].orders] == ["ORDER-1", "ORDER-2"]

    orders = RecalledOrdersDialog(recalled[0])
    qtbot.addWidget(orders)
    assert orders.table.rowCount() == 2
    assert [orders.cell(0, c) for c in (0, 1, 3, 4)] == ["ORDER-1", "12.500", "test", "TEST-PC"]
    assert "reversed" in orders.cell(1, 5)
    assert orders.close_button.isDefault()


def test_a_recall_of_a_batch_nobody_used_says_there_is_nothing_to_trace(qtbot: QtBot) -> None:
    orders = RecalledOrdersDialog(Recalled(batch(CODE), ()))
    qtbot.addWidget(orders)
    assert "No order used its milk" in orders.headline.text()
    assert orders.table.isHidden()


# QA


def _qa(qtbot: QtBot, calls: FakeCalls, runner: TaskRunner, tests: str = "beta-lactam") -> QaDialog:
    settings = PlantSettings(qa_required_tests=tests)
    dialog = QaDialog(calls.batches[CODE], settings, "maria", calls, runner)
    _shown(qtbot, dialog)
    return dialog


def test_qa_offers_the_first_required_test_not_yet_passed_and_shows_results_so_far(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    pending = batch(CODE, qa_state=QaState.PENDING)
    passed = dataclasses.replace(
        make_event(pending, AuditAction.QA, NOW, id=2),
        qa_test="beta-lactam",
        qa_result="pass",
        qa_analyst="lab-anna",
    )
    calls = FakeCalls(pending, events=[passed])
    dialog = _qa(qtbot, calls, runner, "beta-lactam,aflatoxin-m1")
    assert dialog.test.currentText() == "aflatoxin-m1"
    assert dialog.results_table.rowCount() == 1
    assert dialog.results_table.item(0, 3).text() == "lab-anna"
    assert "beta-lactam ✔ passed" in dialog.required_note.text()
    assert "aflatoxin-m1 — not passed yet" in dialog.required_note.text()
    assert dialog.analyst.text() == "maria"  # the operator, to start with
    assert "Awaiting QA" in dialog.summary.text()


def test_qa_records_a_pass_with_every_field_by_keyboard(qtbot: QtBot, runner: TaskRunner) -> None:
    calls = FakeCalls(batch(CODE, qa_state=QaState.PENDING))
    dialog = _qa(qtbot, calls, runner)
    _alt(Qt.Key.Key_P)
    qtbot.waitUntil(dialog.pass_radio.isChecked)  # a mnemonic clicks after a short flash
    _alt(Qt.Key.Key_K)
    qtbot.keyClicks(QApplication.focusWidget(), "SNAP lot 4471")
    _alt(Qt.Key.Key_S)
    qtbot.keyClicks(QApplication.focusWidget(), "S-0419")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == QaDialog.DialogCode.Accepted
    name, (code, entry), kw = calls.sent[0]
    assert (name, code, kw["expected_version"]) == ("qa", CODE, 1)
    assert (entry.test, entry.result, entry.analyst, entry.kit, entry.sample_id) == (  # type: ignore[attr-defined]
        "beta-lactam",
        "pass",
        "maria",
        "SNAP lot 4471",
        "S-0419",
    )
    assert calls.batches[CODE].qa_state is QaState.RELEASED


def test_qa_without_a_result_or_analyst_says_why_and_sends_nothing(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    calls = FakeCalls(batch(CODE, qa_state=QaState.PENDING))
    dialog = _qa(qtbot, calls, runner)
    dialog.analyst.clear()
    dialog.test.setEditText("beta lactam!")
    dialog.submit_button.click()
    errors = dialog.error_labels
    assert "not usable" in errors["test"].text()
    assert "Choose Pass or Fail" in errors["result"].text()
    assert "analyst is missing" in errors["analyst"].text()
    assert calls.sent == []
    assert calls.batches[CODE].qa_state is QaState.PENDING


def test_choosing_fail_warns_that_it_rejects_for_good(qtbot: QtBot, runner: TaskRunner) -> None:
    calls = FakeCalls(batch(CODE, qa_state=QaState.PENDING))
    dialog = _qa(qtbot, calls, runner)
    assert dialog.fail_note.isHidden()
    _alt(Qt.Key.Key_F)
    qtbot.waitUntil(dialog.fail_radio.isChecked)  # a mnemonic clicks after a short flash
    assert not dialog.fail_note.isHidden()
    dialog.submit_button.click()
    assert calls.batches[CODE].qa_state is QaState.REJECTED


def test_qa_refused_on_a_rejected_batch_is_explained_in_place(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    calls = FakeCalls(batch(CODE, qa_state=QaState.REJECTED))
    dialog = _qa(qtbot, calls, runner)
    calls.refusal = RuleRefused(f"Batch {CODE} was rejected by QA; its result stands.")
    dialog.pass_radio.setChecked(True)
    dialog.submit_button.click()
    assert dialog.isVisible()
    assert "rejected by QA" in dialog.message.text()
    assert calls.batches[CODE].version == 1


def test_qa_conflict_reloads_the_batch_and_its_results(qtbot: QtBot, runner: TaskRunner) -> None:
    calls = FakeCalls(batch(CODE, qa_state=QaState.PENDING))
    dialog = _qa(qtbot, calls, runner)
    current = calls.changed_elsewhere(CODE)
    calls.events.append(
        dataclasses.replace(
            make_event(current, AuditAction.QA, NOW, id=5), qa_test="beta-lactam", qa_result="pass"
        )
    )
    _answer_conflict(dialog, reload=True, seen=[])
    dialog.fail_radio.setChecked(True)
    dialog.submit_button.click()
    assert dialog.loaded.version == 2
    assert dialog.results_table.rowCount() == 1  # the other PC's result is shown now
    assert dialog.fail_radio.isChecked()  # what was chosen is kept


# dispose


def _dispose(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner, *, expired: bool = False
) -> DisposeDialog:
    dialog = DisposeDialog(calls.batches[CODE], calls, runner, expired=expired)
    _shown(qtbot, dialog)
    return dialog


def test_dispose_reads_the_litres_in_the_pcs_format_and_sends_the_reason(
    qtbot: QtBot, en_us: None, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _dispose(qtbot, calls, runner)
    qtbot.keyClicks(dialog.liters, "12.5")
    assert dialog.liters_reading.text() == "= 12.500 L"
    dialog.reason.setCurrentIndex(dialog.reason.findData(DisposeReason.SPILLAGE.value))
    dialog.submit_button.click()
    assert dialog.result() == DisposeDialog.DialogCode.Accepted
    name, args, kw = calls.sent[0]
    assert (name, args) == ("dispose", (CODE, "12.500"))
    assert (kw["reason_code"], kw["note"], kw["expected_version"]) == (
        DisposeReason.SPILLAGE,
        None,
        1,
    )
    assert calls.batches[CODE].remaining_ml == 87_500


def test_dispose_all_that_remains_sends_no_litres(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _dispose(qtbot, calls, runner)
    _alt(Qt.Key.Key_A)
    qtbot.waitUntil(dialog.all_remaining.isChecked)  # a mnemonic clicks after a short flash
    assert not dialog.liters.isEnabled()
    dialog.reason.setCurrentIndex(dialog.reason.findData(DisposeReason.COUNT_CORRECTION.value))
    dialog.submit_button.click()
    assert calls.sent[0][1] == (CODE, None)
    assert calls.batches[CODE].remaining_ml == 0


@pytest.mark.parametrize(
    ("liters", "reason", "note", "field", "why"),
    [
        ("", DisposeReason.SPILLAGE, "", "liters", "Enter the litres to dispose of"),
        ("100.001", DisposeReason.SPILLAGE, "", "liters", "Only 100.000 L remain"),
        ("abc", DisposeReason.SPILLAGE, "", "liters", "cannot be read"),
        ("5", None, "", "reason_code", "Choose a reason"),
        ("5", DisposeReason.OTHER, "", "note", "needs a note"),
    ],
)
def test_an_invalid_write_off_says_why_beside_the_field_and_sends_nothing(
    qtbot: QtBot,
    en_us: None,
    calls: FakeCalls,
    runner: TaskRunner,
    liters: str,
    reason: DisposeReason | None,
    note: str,
    field: str,
    why: str,
) -> None:
    dialog = _dispose(qtbot, calls, runner)
    dialog.liters.setText(liters)
    dialog.reason.setCurrentIndex(-1 if reason is None else dialog.reason.findData(reason.value))
    dialog.note.setText(note)
    dialog.submit_button.click()
    assert why in dialog.error_labels[field].text()
    assert dialog.isVisible()
    assert calls.sent == []
    assert calls.batches[CODE].remaining_ml == 100_000


def test_a_rejected_batch_can_only_be_disposed_of_as_a_rejected_load(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    calls = FakeCalls(batch(CODE, qa_state=QaState.REJECTED))
    dialog = _dispose(qtbot, calls, runner)
    assert dialog.reason.count() == 1
    assert dialog.chosen_reason() is DisposeReason.REJECTED_LOAD
    assert not dialog.reason.isEnabled()
    assert "rejected load" in dialog.summary.text()
    dialog.all_remaining.setChecked(True)
    dialog.submit_button.click()
    assert calls.sent[0][2]["reason_code"] is DisposeReason.REJECTED_LOAD


def test_no_other_batch_is_offered_the_rejected_load_reason(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _dispose(qtbot, calls, runner)
    offered = {dialog.reason.itemData(i) for i in range(dialog.reason.count())}
    assert DisposeReason.REJECTED_LOAD.value not in offered
    assert DisposeReason.OTHER.value in offered


def test_on_an_expired_batch_enter_disposes_of_all_that_remains_as_expired(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _dispose(qtbot, calls, runner, expired=True)
    assert dialog.all_remaining.isChecked()
    assert dialog.chosen_reason() is DisposeReason.EXPIRED
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.result() == DisposeDialog.DialogCode.Accepted
    assert calls.sent[0][1:] == ((CODE, None), calls.sent[0][2])
    assert calls.sent[0][2]["reason_code"] is DisposeReason.EXPIRED


def test_dispose_refused_by_the_database_is_explained_in_place(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _dispose(qtbot, calls, runner)
    calls.refusal = RuleRefused(f"Batch {CODE} is deleted; restore it before writing it off.")
    dialog.all_remaining.setChecked(True)
    dialog.reason.setCurrentIndex(dialog.reason.findData(DisposeReason.SPILLAGE.value))
    dialog.submit_button.click()
    assert dialog.isVisible()
    assert "is deleted" in dialog.message.text()
    assert calls.batches[CODE].remaining_ml == 100_000


def test_dispose_conflict_reloads_and_rechecks_the_litres(
    qtbot: QtBot, en_us: None, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _dispose(qtbot, calls, runner)
    calls.changed_elsewhere(CODE, remaining_ml=5_000)
    _answer_conflict(dialog, reload=True, seen=[])
    dialog.liters.setText("10")
    dialog.reason.setCurrentIndex(dialog.reason.findData(DisposeReason.SPILLAGE.value))
    dialog.submit_button.click()
    assert dialog.loaded.remaining_ml == 5_000
    assert "Only 5.000 L remain" in dialog.error_labels["liters"].text()
    assert calls.batches[CODE].remaining_ml == 5_000


# reverse


def _reverse(qtbot: QtBot, calls: FakeCalls, runner: TaskRunner) -> ReverseDialog:
    loaded = calls.batches[CODE]
    original = make_event(
        loaded,
        AuditAction.CONSUME,
        NOW,
        id=len(calls.events) + 1,
        liters_ml=12_500,
        order_id="ORDER-20251204-1234",
    )
    calls.events.append(original)
    dialog = ReverseDialog(loaded, original, calls, runner)
    _shown(qtbot, dialog)
    return dialog


def test_reverse_names_the_event_and_sends_its_id_with_the_batch_version(
    qtbot: QtBot, en_us: None, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _reverse(qtbot, calls, runner)
    assert "consume of <b>12.500 L</b> for order ORDER-20251204-1234" in dialog.question.text()
    qtbot.keyClicks(dialog.reason, "consumed from the wrong batch")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Enter)
    assert dialog.result() == ReverseDialog.DialogCode.Accepted
    name, args, kw = calls.sent[0]
    assert (name, args, kw["expected_version"]) == (
        "reverse",
        (CODE, dialog.original.id, "consumed from the wrong batch"),
        1,
    )
    assert calls.batches[CODE].remaining_ml == 112_500


def test_reverse_refused_is_explained_in_place(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _reverse(qtbot, calls, runner)
    calls.refusal = RuleRefused("Event 1 was reversed already (by event 4).")
    dialog.reason.setPlainText("wrong batch")
    dialog.submit_button.click()
    assert dialog.isVisible()
    assert "reversed already" in dialog.message.text()
    assert calls.batches[CODE].remaining_ml == 100_000


def test_reverse_conflict_prompts_and_reloads(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    dialog = _reverse(qtbot, calls, runner)
    calls.changed_elsewhere(CODE, remaining_ml=90_000)
    prompts: list[ConflictPrompt] = []
    _answer_conflict(dialog, reload=True, seen=prompts)
    dialog.reason.setPlainText("wrong batch")
    dialog.submit_button.click()
    assert len(prompts) == 1
    assert dialog.loaded.version == 2
    assert calls.batches[CODE].remaining_ml == 90_000


# Alt+letters: each once per dialog (Cancel counts as Alt+C, as some desktops give it)


def test_no_alt_letter_is_used_twice_in_a_lifecycle_dialog(
    qtbot: QtBot, calls: FakeCalls, runner: TaskRunner
) -> None:
    loaded = calls.batches[CODE]
    consume = make_event(loaded, AuditAction.CONSUME, NOW, liters_ml=1_000)
    dialogs: list[QWidget] = [
        *(HoldDialog(loaded, change, calls, runner) for change in HoldChange),
        QaDialog(loaded, PlantSettings(), "maria", calls, runner),
        DisposeDialog(loaded, calls, runner),
        ReverseDialog(loaded, consume, calls, runner),
        BlockedBatchPrompt(loaded, BatchStatus.ON_HOLD),
        BlockedBatchPrompt(loaded, BatchStatus.REJECTED),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        letters = mnemonics(dialog)
        assert letters, dialog.objectName()
        assert len(letters) == len(set(letters)), (dialog.objectName(), sorted(letters))
