"""QA, hold, release, dispose and reverse with the keyboard alone, in the real main window.

Every action is a key press sent to whatever has the focus (tests/support/keyboard_driver.py):
shortcuts, Alt+letters, typing, Enter. The test only reads state to check what was recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.dispose_dialog import DisposeDialog
from dairy_desktop.ui.dialogs.hold_dialog import HoldDialog
from dairy_desktop.ui.dialogs.qa_dialog import QaDialog
from dairy_desktop.ui.dialogs.reverse_dialog import ReverseDialog
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from tests.integration.helpers import register
from tests.support.keyboard_driver import Keyboard
from tests.support.keystrokes import ManualClock
from tests.support.locales import default_locale
from tests.support.qa_gate import set_qa_gate

CODE = "SCH-20251204-0001"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture(autouse=True)
def en_us() -> Iterator[None]:
    yield from default_locale("en_US")


@pytest.fixture
def keyboard(qtbot: QtBot, window: MainWindow) -> Keyboard:
    """The window active and focused, its wedge on a clock that moves with the typing."""
    clock = ManualClock()
    window.wedge.uninstall()
    wedge = ScannerWedge(window.wedge.settings, clock=clock, parent=window)
    wedge.scanned.connect(window.scans.handle)
    wedge.install()
    window.wedge = wedge  # the window uninstalls it when it closes
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return Keyboard(clock, window)


def _shown(qtbot: QtBot, keyboard: Keyboard, window: MainWindow) -> None:
    """F5 loads what was stored behind the window's back; the batch is then the selected one
    (test_keyboard_only shows the keys for picking a row)."""
    keyboard.press(Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.find_row(CODE) is not None, timeout=5_000)
    window.select_code(CODE)


def test_qa_pass_with_the_keyboard_releases_the_batch(
    qtbot: QtBot, keyboard: Keyboard, window: MainWindow, database: Database, other_pc: AppSession
) -> None:
    set_qa_gate(database, True)
    register(database, CODE, liters="100")
    _shown(qtbot, keyboard, window)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, QaDialog)
        assert keyboard.focus() is dialog.test
        keyboard.enter()  # no result chosen: it says so and stays
        assert "Choose Pass or Fail" in dialog.error_labels["result"].text()
        keyboard.press(Qt.Key.Key_P, ALT)
        qtbot.waitUntil(dialog.pass_radio.isChecked)  # a mnemonic clicks after a flash
        keyboard.press(Qt.Key.Key_K, ALT)
        keyboard.type("SNAP lot 4471")
        keyboard.enter()

    pending = keyboard.in_next_modal("QA", fill)
    keyboard.press(Qt.Key.Key_T, CTRL)
    assert not pending.check().isVisible()
    batch = other_pc.batch(CODE)
    assert batch.qa_state is QaState.RELEASED
    last = other_pc.history(CODE)[-1]
    assert (last.qa_test, last.qa_result, last.qa_kit) == ("beta-lactam", "pass", "SNAP lot 4471")


def test_hold_then_release_with_the_keyboard(
    qtbot: QtBot, keyboard: Keyboard, window: MainWindow, database: Database, other_pc: AppSession
) -> None:
    register(database, CODE, liters="100")
    _shown(qtbot, keyboard, window)

    def reason(text: str, name: str):  # type: ignore[no-untyped-def]
        def fill(dialog: QWidget) -> None:
            assert isinstance(dialog, HoldDialog)
            assert dialog.objectName() == name
            assert keyboard.focus() is dialog.reason
            keyboard.type(text)
            keyboard.enter()

        return fill

    pending = keyboard.in_next_modal("hold", reason("lab asked", "holdDialog"))
    keyboard.press(Qt.Key.Key_H, CTRL)
    pending.check()
    assert other_pc.batch(CODE).is_held
    qtbot.waitUntil(window.act_release.isEnabled, timeout=5_000)
    pending = keyboard.in_next_modal("release", reason("report clean", "releaseDialog"))
    keyboard.press(Qt.Key.Key_H, CTRL | SHIFT)
    pending.check()
    assert not other_pc.batch(CODE).is_held
    assert [e.action for e in other_pc.history(CODE)][-2:] == [
        AuditAction.HOLD,
        AuditAction.RELEASE,
    ]


def test_an_expired_batch_is_disposed_of_with_two_keys(
    qtbot: QtBot, keyboard: Keyboard, window: MainWindow, database: Database, other_pc: AppSession
) -> None:
    register(database, CODE, liters="40", days=1, received=datetime.now(UTC) - timedelta(days=2))
    _shown(qtbot, keyboard, window)

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, DisposeDialog)
        keyboard.enter()  # all that remains, as expired: the obvious action

    pending = keyboard.in_next_modal("dispose", confirm)
    keyboard.press(Qt.Key.Key_D, CTRL | SHIFT)
    pending.check()
    last = other_pc.history(CODE)[-1]
    assert (last.action, last.liters_ml, last.reason_code) == (
        AuditAction.DISPOSE,
        40_000,
        "expired",
    )


def test_a_consume_is_reversed_from_the_history_with_the_keyboard(
    qtbot: QtBot, keyboard: Keyboard, window: MainWindow, database: Database, other_pc: AppSession
) -> None:
    register(database, CODE, liters="100")
    other_pc.consume(CODE, "30", order_id=None, expected_version=None)
    _shown(qtbot, keyboard, window)
    qtbot.waitUntil(lambda: window.details.history.rowCount() == 2, timeout=5_000)
    keyboard.press(Qt.Key.Key_S, ALT)  # into the history: the newest event is picked
    assert keyboard.focus() is window.details.history

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ReverseDialog)
        assert dialog.original.action is AuditAction.CONSUME
        keyboard.type("consumed from the wrong batch")
        keyboard.enter()

    pending = keyboard.in_next_modal("reverse", fill)
    keyboard.press(Qt.Key.Key_E, ALT)
    # A button's Alt+letter clicks after a short flash: the dialog opens a moment later.
    qtbot.waitUntil(lambda: pending.done or bool(pending.errors), timeout=5_000)
    pending.check()
    assert other_pc.batch(CODE).remaining_ml == 100_000
    assert other_pc.history(CODE)[-1].action is AuditAction.REVERSE
