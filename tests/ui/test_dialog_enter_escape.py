"""Enter does what the primary button says, Escape cancels, in the conflict prompt, the sheet
options and the label print dialog; and no Alt+letter is used twice in any of these dialogs
or in Settings and the reason dialog. Real key events, sent to the field with focus."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from dairy_desktop.config.local_settings import DATABASE_URL_ENV
from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.label_print_dialog import PDF_CHOICE, LabelPrintDialog
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
from dairy_desktop.ui.dialogs.sheet_options_dialog import SheetOptionsDialog
from dairy_desktop.ui.preferences import print_settings
from dairy_desktop.ui.tasks import TaskRunner
from tests.support.factories import make_batch
from tests.ui.mnemonics import mnemonics

CODE = "SCH-20251204-0001"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


def _batch(version: int = 1, remaining_ml: int = 1_000_000) -> Batch:
    return make_batch(
        CODE,
        datetime(2025, 12, 9, 6, 0, tzinfo=UTC),
        version=version,
        remaining_ml=remaining_ml,
        updated_at=datetime(2025, 12, 4, 6, 0, tzinfo=UTC) + timedelta(minutes=version),
    )


def _shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.show()  # the default button takes Enter only while it is visible
    return dialog


def _key(qtbot: QtBot, dialog: QDialog, key: Qt.Key) -> None:
    """`key` pressed in whatever has the dialog's focus (the dialog itself if nothing)."""
    target = dialog.focusWidget() or dialog
    qtbot.keyClick(target, key)


# the conflict prompt


@pytest.fixture
def prompt(qtbot: QtBot) -> ConflictPrompt:
    made = ConflictPrompt(_batch(1), _batch(2, remaining_ml=900_000))
    _shown(qtbot, made)
    return made


def test_enter_in_the_conflict_prompt_reloads(qtbot: QtBot, prompt: ConflictPrompt) -> None:
    _key(qtbot, prompt, Qt.Key.Key_Return)
    assert prompt.result() == QDialog.DialogCode.Accepted


def test_escape_in_the_conflict_prompt_cancels(qtbot: QtBot, prompt: ConflictPrompt) -> None:
    _key(qtbot, prompt, Qt.Key.Key_Escape)
    assert (prompt.result(), prompt.isVisible()) == (QDialog.DialogCode.Rejected, False)


def test_the_conflict_prompt_draws_reload_as_default_never_cancel(prompt: ConflictPrompt) -> None:
    assert (prompt.reload_button.isDefault(), prompt.cancel_button.isDefault()) == (True, False)
    assert prompt.windowTitle() == "Batch changed"
    assert CODE in prompt.findChildren(QLabel)[0].text()


# the daily sheet options


@pytest.fixture
def sheet_options(qtbot: QtBot) -> SheetOptionsDialog:
    made = SheetOptionsDialog(
        today=date(2025, 12, 4), days=3, zone_name="Europe/Berlin", action="&Export…"
    )
    _shown(qtbot, made)
    return made


def test_enter_in_the_sheet_options_goes_with_the_edited_horizon(
    qtbot: QtBot, sheet_options: SheetOptionsDialog
) -> None:
    spin = sheet_options.days_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "7")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert sheet_options.result() == QDialog.DialogCode.Accepted
    assert (sheet_options.sheet_date(), sheet_options.days()) == (date(2025, 12, 4), 7)


def test_enter_in_the_sheet_date_goes_too(qtbot: QtBot, sheet_options: SheetOptionsDialog) -> None:
    qtbot.keyClick(sheet_options.date_edit, Qt.Key.Key_Return)
    assert sheet_options.result() == QDialog.DialogCode.Accepted


def test_escape_in_the_sheet_options_cancels(
    qtbot: QtBot, sheet_options: SheetOptionsDialog
) -> None:
    qtbot.keyClick(sheet_options.days_spin, Qt.Key.Key_Escape)
    assert sheet_options.result() == QDialog.DialogCode.Rejected


# the label print dialog (to a PDF file, so no printer is needed)


@pytest.fixture
def label_dialog(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LabelPrintDialog:
    target = tmp_path / "label.pdf"
    monkeypatch.setattr(print_settings, "ask_pdf_path", lambda *_args: target)
    made = LabelPrintDialog(_batch(), ZoneInfo("Europe/Berlin"))
    _shown(qtbot, made)
    made.printer_box.setCurrentIndex(made.printer_box.findText(PDF_CHOICE))
    return made


def test_enter_in_the_label_dialog_prints(
    qtbot: QtBot, label_dialog: LabelPrintDialog, tmp_path: Path
) -> None:
    label_dialog.width_spin.setValue(100)
    label_dialog.height_spin.setValue(50)
    qtbot.keyClick(label_dialog.height_spin, Qt.Key.Key_Return)
    assert label_dialog.result() == QDialog.DialogCode.Accepted
    assert (tmp_path / "label.pdf").stat().st_size > 0


def test_enter_with_a_size_too_small_says_why_and_prints_nothing(
    qtbot: QtBot, label_dialog: LabelPrintDialog, tmp_path: Path
) -> None:
    assert label_dialog.message.isHidden()  # nothing to complain about before a try
    label_dialog.width_spin.setValue(100)
    label_dialog.height_spin.setValue(30)
    qtbot.keyClick(label_dialog.height_spin, Qt.Key.Key_Return)
    assert label_dialog.result() == 0
    assert label_dialog.isVisible()
    assert "too short" in label_dialog.message.text()
    assert not label_dialog.message.isHidden()
    assert not (tmp_path / "label.pdf").exists()


def test_escape_in_the_label_dialog_cancels(
    qtbot: QtBot, label_dialog: LabelPrintDialog, tmp_path: Path
) -> None:
    qtbot.keyClick(label_dialog.printer_box, Qt.Key.Key_Escape)
    assert label_dialog.result() == QDialog.DialogCode.Rejected
    assert not (tmp_path / "label.pdf").exists()


# Alt+letters


def _every_dialog(qtbot: QtBot, tmp_path: Path) -> list[QDialog]:
    return [
        ConflictPrompt(_batch(1), _batch(2)),
        SheetOptionsDialog(today=date(2025, 12, 4), days=3, zone_name="UTC", action="Pre&view…"),
        SheetOptionsDialog(today=date(2025, 12, 4), days=3, zone_name="UTC", action="&Export…"),
        LabelPrintDialog(_batch(), ZoneInfo("UTC")),
        ReasonDialog(_batch(), delete=True),
        ReasonDialog(_batch(), delete=False),
        SettingsDialog(None, TaskRunner(synchronous=True)),
    ]


def test_no_alt_letter_is_used_twice_in_a_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    for dialog in _every_dialog(qtbot, tmp_path):
        _shown(qtbot, dialog)
        letters = mnemonics(dialog)
        assert len(letters) >= 2, dialog.objectName()
        assert len(letters) == len(set(letters)), (dialog.objectName(), sorted(letters))
