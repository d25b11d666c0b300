"""Typing a file name into Qt's own Save dialog works with the wedge installed.

Its file name field is a Qt-private class: PySide hands the event filter a wrapper of it
that dies after the call, and the wedge used to lose every held key with it (Enter then
saved under the default name).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.scanner.wedge import ScannerWedge

PERSON_GAP_MS = 90


def _type(qtbot: QtBot, window: QWindow, text: str) -> None:
    """Through the window, as the platform delivers keys (the app's filter sees them)."""
    for ch in text:
        key = Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key.Key_Minus
        QTest.sendKeyEvent(QTest.KeyAction.Click, window, key, ch, Qt.KeyboardModifier(0))
        qtbot.wait(PERSON_GAP_MS)


def _focused_text() -> str:
    focused = QApplication.focusWidget()
    return focused.text() if isinstance(focused, QLineEdit) else ""


def test_typed_name_reaches_the_save_dialog_and_enter_saves_under_it(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    wedge = ScannerWedge(parent=parent)
    wedge.install(qapp)
    scans: list[str] = []
    wedge.scanned.connect(scans.append)
    typed: list[str] = []

    def operator() -> None:
        # Inside the dialog's own loop, as the app's Save commands run it. Nothing here keeps
        # a Python reference to the dialog's widgets: the bug lived where only the wedge did.
        try:
            qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
            qtbot.waitUntil(lambda: _focused_text() == "labels.pdf")
            window = QApplication.focusWindow()
            assert window is not None
            _type(qtbot, window, "monday-7")
            qtbot.waitUntil(lambda: _focused_text() == "monday-7", timeout=2_000)
            typed.append(_focused_text())
            QTest.sendKeyEvent(
                QTest.KeyAction.Click, window, Qt.Key.Key_Return, "\r", Qt.KeyboardModifier(0)
            )
        finally:
            modal = QApplication.activeModalWidget()
            if isinstance(modal, QFileDialog) and modal.isVisible():
                modal.reject()  # a failed check must not leave the test hanging

    QTimer.singleShot(0, operator)
    try:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent,
            "Save labels",
            str(tmp_path / "labels.pdf"),
            "PDF (*.pdf)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
    finally:
        wedge.uninstall(qapp)

    assert typed == ["monday-7"]
    assert Path(chosen).name.startswith("monday-7")
    assert scans == []
