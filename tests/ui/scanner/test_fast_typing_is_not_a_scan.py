"""Fast keys and Enter are a scan only where a scan can be used; elsewhere they are typing.

A typing tool (or a very fast typist) filling in a dialog's reason at 4 ms a key and pressing
Enter at once must get the reason typed and Enter pressed, not a swallowed "scan".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.scanner.wedge_settings import Terminator, WedgeSettings
from tests.integration.helpers import register
from tests.support.keystrokes import ManualClock, ScanKeyboard

CODE = "SCH-20251204-0001"
REASON = "failed the acidity test"


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    return edit


@contextmanager
def _wedge(
    qapp: QApplication, clock: ManualClock, check: Callable[[str], bool]
) -> Iterator[ScannerWedge]:
    wedge = ScannerWedge(WedgeSettings(), clock=clock)
    wedge.set_scan_check(check)
    wedge.install(qapp)
    yield wedge
    wedge.uninstall(qapp)
    wedge.deleteLater()


def test_fast_keys_the_receiver_would_not_use_reach_the_field_and_enter_follows(
    qapp: QApplication, qtbot: QtBot, field: QLineEdit
) -> None:
    clock = ManualClock()
    asked: list[str] = []
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))

    def would_take(text: str) -> bool:
        asked.append(text)
        return False

    with _wedge(qapp, clock, would_take) as wedge:
        scanned: list[str] = []
        wedge.scanned.connect(scanned.append)
        keys = ScanKeyboard(clock.advance)
        keys.type(field, REASON, 4)
        keys.terminator(field, Terminator.ENTER, 4)
        qtbot.wait(20)

        assert asked == [REASON]
        assert scanned == []
        assert field.text() == REASON
        assert entered == [REASON]


def test_fast_keys_the_receiver_would_use_are_still_a_scan(
    qapp: QApplication, qtbot: QtBot, field: QLineEdit
) -> None:
    clock = ManualClock()
    with _wedge(qapp, clock, lambda text: True) as wedge:
        scanned: list[str] = []
        wedge.scanned.connect(scanned.append)
        keys = ScanKeyboard(clock.advance)
        keys.type(field, CODE, 4)
        keys.terminator(field, Terminator.ENTER, 4)
        qtbot.waitUntil(lambda: scanned == [CODE], timeout=1_000)

        assert field.text() == ""


def test_what_the_window_takes_as_a_scan_depends_on_the_dialog_in_front(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    batch = register(window.session.database, CODE, liters="80")
    router = window.scans
    assert router.would_take("anything at all")  # no dialog: the window says what it was

    reason = ReasonDialog(batch, delete=True, parent=window)
    reason.setWindowModality(Qt.WindowModality.ApplicationModal)
    reason.show()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is reason, timeout=1_000)
    reason.reason.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is reason.reason, timeout=1_000)
    assert not router.would_take(REASON)  # typed into the reason box
    reason.reject()

    consume = ConsumeDialog(batch, window.session, window.runner, window)
    consume.setWindowModality(Qt.WindowModality.ApplicationModal)
    consume.show()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is consume, timeout=1_000)
    assert router.would_take(CODE)
    assert router.would_take("ORDER-20251204-1234")
    assert router.would_take("]C11012345678")  # a label that says it is one
    assert not router.would_take("1000.5")  # reads as AI 10 only by luck: litres typed fast
    assert not router.would_take("4539,500")
    consume.reject()


def test_a_reason_typed_fast_into_delete_and_entered_deletes_the_batch(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    register(window.session.database, CODE, liters="80")
    window.reload()
    window.select_code(CODE)
    seen: list[str] = []

    def type_reason_and_enter() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        seen.append(dialog.windowTitle())
        try:
            QTest.keyClicks(dialog.reason, REASON)  # no pause at all between keys
            QTest.keyClick(dialog.reason, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, type_reason_and_enter)
    window.batch_actions.delete_selected()
    qtbot.waitUntil(lambda: window.session is not None and window.session.batch(CODE).is_deleted)

    assert seen == ["Delete batch"]
    history = window.session.history(CODE)
    assert history[-1].reason == REASON


def test_a_dialog_opened_by_a_replayed_key_still_has_its_scans_recognised(
    qapp: QApplication, qtbot: QtBot
) -> None:
    # Space is held like any character and given back to the button as typing; the click
    # it makes opens a modal dialog inside that replay. Scans made in that dialog are
    # still scans, not characters typed into its field.
    button = QPushButton("Register delivery…")
    qtbot.addWidget(button)
    field_in_dialog: list[str] = []  # what the dialog's field held once the scan was in

    def open_dialog() -> None:
        dialog = QDialog(button)
        edit = QLineEdit(dialog)

        def scan_then_close() -> None:
            try:
                edit.setFocus()
                QTest.keyClicks(edit, CODE)
                QTest.keyClick(edit, Qt.Key.Key_Return)
                qtbot.waitUntil(lambda: scanned == [CODE], timeout=1_000)
            finally:
                field_in_dialog.append(edit.text())
                dialog.reject()

        QTimer.singleShot(0, scan_then_close)
        dialog.exec()

    button.clicked.connect(open_dialog)
    button.show()
    button.setFocus()
    wedge = ScannerWedge(WedgeSettings())
    scanned: list[str] = []
    wedge.scanned.connect(scanned.append)
    wedge.install(qapp)
    try:
        QTest.keyClick(button, Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier)
        qtbot.waitUntil(lambda: field_in_dialog != [], timeout=3_000)
    finally:
        wedge.uninstall(qapp)
        wedge.deleteLater()

    assert scanned == [CODE]
    assert field_in_dialog == [""]
