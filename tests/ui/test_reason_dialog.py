"""The delete / restore dialog, driven by real key events: Enter confirms a given reason,
says why without one, Escape cancels; the label's mnemonic works and is not shown as "&"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.text import MAX_REASON_LENGTH
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog

CODE = "SCH-20251204-0001"


def _batch() -> Batch:
    received = datetime(2025, 12, 4, 6, 0, tzinfo=UTC)
    return Batch(
        id=1,
        code=CODE,
        received_at=received,
        shelf_life_days=5,
        expires_at=received + timedelta(days=5),
        initial_ml=1_000_000,
        remaining_ml=400_500,
        fat_centi=None,
        version=2,
        deleted_at=None,
        updated_at=received,
        updated_by="ann",
        updated_workstation="PC-1",
    )


@pytest.fixture(params=[True, False], ids=["delete", "restore"])
def dialog(qtbot: QtBot, request: pytest.FixtureRequest) -> ReasonDialog:
    made = ReasonDialog(_batch(), delete=request.param)
    qtbot.addWidget(made)
    made.show()  # the default button takes Enter only while it is visible
    return made


def _problem(dialog: ReasonDialog) -> str:
    return dialog.problem.text() if not dialog.problem.isHidden() else ""


def test_enter_after_typing_a_reason_confirms(qtbot: QtBot, dialog: ReasonDialog) -> None:
    qtbot.keyClicks(dialog.reason, "failed the acidity test")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert (dialog.result(), dialog.reason_text()) == (1, "failed the acidity test")


def test_keypad_enter_confirms_too(qtbot: QtBot, dialog: ReasonDialog) -> None:
    qtbot.keyClicks(dialog.reason, "sour")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.result() == 1


def test_enter_without_a_reason_says_so_and_stays_open(qtbot: QtBot, dialog: ReasonDialog) -> None:
    assert _problem(dialog) == ""  # nothing typed yet: no complaint
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.result() == 0
    assert dialog.isVisible()
    assert _problem(dialog).startswith("⚠ A reason is required")
    assert dialog.reason.toPlainText() == ""  # Enter did not start a new line


def test_blanks_are_no_reason(qtbot: QtBot, dialog: ReasonDialog) -> None:
    qtbot.keyClicks(dialog.reason, "   ")
    dialog.ok_button.click()
    assert (dialog.result(), _problem(dialog).startswith("⚠ A reason is required")) == (0, True)


def test_a_too_long_reason_is_refused_with_its_length(qtbot: QtBot, dialog: ReasonDialog) -> None:
    dialog.reason.setPlainText("x" * (MAX_REASON_LENGTH + 1))
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.result() == 0
    assert f"{MAX_REASON_LENGTH + 1} characters long; at most {MAX_REASON_LENGTH}" in (
        _problem(dialog)
    )


def test_escape_cancels(qtbot: QtBot, dialog: ReasonDialog) -> None:
    qtbot.keyClicks(dialog.reason, "sour")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert (dialog.result(), dialog.isVisible()) == (0, False)


def test_the_primary_button_is_the_default_and_never_disabled(dialog: ReasonDialog) -> None:
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    assert (dialog.ok_button.isDefault(), dialog.ok_button.isEnabled()) == (True, True)
    assert (cancel.isDefault(), cancel.autoDefault()) == (False, False)


def test_the_label_shows_no_ampersand_and_its_mnemonic_reaches_the_box(
    dialog: ReasonDialog,
) -> None:
    form = dialog.findChild(QFormLayout)
    assert form is not None
    label = form.labelForField(dialog.reason)
    assert isinstance(label, QLabel)
    assert (label.text(), label.buddy()) == ("&Reason (required):", dialog.reason)


def test_mnemonics_are_unique(dialog: ReasonDialog) -> None:
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    texts += [button.text() for button in dialog.buttons.buttons()]
    letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert len(letters) == len(set(letters)) >= 2


def test_the_title_is_short_and_the_code_is_in_the_question(dialog: ReasonDialog) -> None:
    assert dialog.windowTitle() in ("Delete batch", "Restore batch")
    question = dialog.findChild(QLabel, "question")
    assert question is not None
    assert f"<b>{CODE}</b>" in question.text()


def test_a_pasted_line_break_becomes_a_space(dialog: ReasonDialog) -> None:
    dialog.reason.setPlainText("  failed the\nacidity test \n")
    assert dialog.reason_text() == "failed the acidity test"
