"""The main tasks done with the keyboard alone, in the real main window.

Every action here is a key press sent to whatever has the focus (``tests/support/
keyboard_driver.py``): shortcuts, Tab, typing, Enter. The test only reads state to check
where the focus went and what was recorded. The window's scanner wedge runs on a manual
clock, so the typing is a person's (replayed to the field), never mistaken for a scan.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.audit.window import AuditWindow
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.dialogs.sheet_options_dialog import SheetOptionsDialog
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from tests.integration.helpers import register
from tests.support.keyboard_driver import Keyboard
from tests.support.keystrokes import ManualClock
from tests.support.locales import default_locale

CODE = "SCH-20251204-0001"
OTHER = "SCH-20251204-0002"
ORDER = "ORDER-20251204-1234"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def en_us() -> Iterator[None]:
    """Numbers are typed the en-US way here: "1,000" is a thousand."""
    yield from default_locale("en_US")


@pytest.fixture(autouse=True)
def qt_file_dialogs() -> Iterator[None]:
    """Save dialogs are Qt's own widgets, which keys can reach, on every platform."""
    attribute = Qt.ApplicationAttribute.AA_DontUseNativeDialogs
    before = QCoreApplication.testAttribute(attribute)
    QCoreApplication.setAttribute(attribute, True)
    yield
    QCoreApplication.setAttribute(attribute, before)


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


def _tab_to(keyboard: Keyboard, target: QWidget, *, limit: int) -> None:
    """Tab (at most ``limit`` times) until ``target`` has the focus."""
    for _ in range(limit):
        keyboard.tab()
        if keyboard.focus() is target:
            return
    raise AssertionError(f"{limit} Tab(s) did not reach {target.objectName()}")


def _focus_table(keyboard: Keyboard, window: MainWindow) -> None:
    """Tab round the window until the batch table has the focus, as a person would."""
    for _ in range(30):
        if QApplication.focusWidget() is window.table:
            return
        keyboard.tab()
    raise AssertionError(f"Tab never reached the batch table (at {QApplication.focusWidget()})")


def _select_row(keyboard: Keyboard, window: MainWindow, code: str) -> None:
    """With the table focused: Home, then Down until the batch is the current row."""
    _focus_table(keyboard, window)
    keyboard.press(Qt.Key.Key_Home)
    for _ in range(window.model.rowCount()):
        if window.selected_code() == code:
            return
        keyboard.press(Qt.Key.Key_Down)
    assert window.selected_code() == code


def _refresh(keyboard: Keyboard, window: MainWindow) -> None:
    """F5: the window reloads what another PC registered."""
    keyboard.press(Qt.Key.Key_F5)


def test_sample_data_from_the_empty_state_button(
    qtbot: QtBot, keyboard: Keyboard, window: MainWindow
) -> None:
    assert window.stack.currentWidget() is window.empty
    _tab_to(keyboard, window.empty.sample_button, limit=12)
    keyboard.press(Qt.Key.Key_Space)  # Space presses a focused button (Enter does not here)
    qtbot.waitUntil(lambda: window.model.total_count() > 0)
    assert window.stack.currentWidget() is window.table
    statuses = {row.status.value for row in window.model.all_rows()}
    assert statuses == {"expired", "expires_today", "near_expiry", "fresh", "empty", "deleted"}


def test_register_a_delivery_with_the_keyboard(keyboard: Keyboard, window: MainWindow) -> None:
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, RegisterDialog)
        assert keyboard.focus() is dialog.code
        keyboard.type(CODE)
        keyboard.tab()
        assert keyboard.focus() is dialog.received
        keyboard.tab()
        assert keyboard.focus() is dialog.shelf_life
        keyboard.type("7")
        keyboard.tab()
        assert keyboard.focus() is dialog.liters
        keyboard.type("4,200.5")
        keyboard.tab()
        assert keyboard.focus() is dialog.fat
        keyboard.type("3.8")
        keyboard.enter()

    pending = keyboard.in_next_modal("register", fill)
    keyboard.press(Qt.Key.Key_N, CTRL)
    dialog = pending.check()
    assert not dialog.isVisible()
    assert window.session is not None
    batch = window.session.batch(CODE)
    assert (batch.initial_liters, batch.remaining_liters) == (Decimal("4200.5"),) * 2
    assert batch.fat_percent == Decimal("3.8")
    assert batch.expires_at - batch.received_at == timedelta(days=7)
    assert abs(batch.received_at - datetime.now(UTC)) < timedelta(minutes=2)
    assert window.selected_code() == CODE


def test_consume_for_an_order_with_the_keyboard(
    keyboard: Keyboard, window: MainWindow, other_pc: AppSession, database: Database
) -> None:
    register(database, CODE, liters="5000")
    register(database, OTHER, liters="5000")
    _refresh(keyboard, window)
    _select_row(keyboard, window, CODE)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        assert dialog.loaded.code == CODE
        assert keyboard.focus() is dialog.liters
        keyboard.type("1,000")
        _tab_to(keyboard, dialog.order, limit=2)  # past "All remaining"
        keyboard.type(ORDER)
        keyboard.enter()

    pending = keyboard.in_next_modal("consume", fill)
    keyboard.enter()  # Enter on the selected row opens Consume
    assert not pending.check().isVisible()
    last = other_pc.history(CODE)[-1]
    assert (last.action, last.liters_ml, last.order_id) == (
        AuditAction.CONSUME,
        1_000_000,
        ORDER,
    )
    assert other_pc.batch(CODE).remaining_liters == Decimal("4000")
    assert other_pc.batch(OTHER).version == 1  # the other batch untouched


def test_a_conflict_is_reloaded_and_submitted_once_with_enter(
    keyboard: Keyboard, window: MainWindow, other_pc: AppSession, database: Database
) -> None:
    register(database, CODE, liters="100")
    _refresh(keyboard, window)
    _select_row(keyboard, window, CODE)
    prompts: list[QWidget] = []

    def reload(prompt: QWidget) -> None:
        assert isinstance(prompt, ConflictPrompt)
        prompts.append(prompt)
        keyboard.enter()  # Reload is the default

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        keyboard.type("10")
        other_pc.consume(CODE, "5", order_id=None, expected_version=1)  # behind its back
        conflict = keyboard.in_next_modal("conflict", reload, kind=ConflictPrompt)
        keyboard.enter()
        conflict.check()
        assert dialog.isVisible()
        assert dialog.loaded.version == 2
        assert dialog.isAncestorOf(keyboard.focus())
        keyboard.enter()  # the same entry, now against version 2

    pending = keyboard.in_next_modal("consume", fill)
    keyboard.press(Qt.Key.Key_E, CTRL)
    assert not pending.check().isVisible()
    assert len(prompts) == 1
    events = other_pc.history(CODE)
    assert [(e.action, e.liters_ml, e.version_after, e.operator) for e in events[1:]] == [
        (AuditAction.CONSUME, 5_000, 2, "jonas"),
        (AuditAction.CONSUME, 10_000, 3, "maria"),
    ]
    assert other_pc.batch(CODE).remaining_liters == Decimal("85")


def _give_reason(keyboard: Keyboard, reason: str):  # type: ignore[no-untyped-def]
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, ReasonDialog)
        assert keyboard.focus() is dialog.reason
        keyboard.type(reason)
        keyboard.enter()

    return act


def test_delete_and_restore_with_a_reason(
    keyboard: Keyboard, window: MainWindow, other_pc: AppSession, database: Database
) -> None:
    register(database, CODE)
    _refresh(keyboard, window)
    _select_row(keyboard, window, CODE)
    pending = keyboard.in_next_modal("delete", _give_reason(keyboard, "sour on inspection"))
    keyboard.press(Qt.Key.Key_Delete)
    pending.check()
    assert other_pc.batch(CODE).is_deleted
    keyboard.press(Qt.Key.Key_D, CTRL)  # Show deleted
    _select_row(keyboard, window, CODE)
    pending = keyboard.in_next_modal("restore", _give_reason(keyboard, "deleted by mistake"))
    keyboard.press(Qt.Key.Key_R, CTRL)
    pending.check()
    events = other_pc.history(CODE)
    assert [(e.action, e.reason) for e in events[1:]] == [
        (AuditAction.DELETE, "sour on inspection"),
        (AuditAction.RESTORE, "deleted by mistake"),
    ]
    assert not other_pc.batch(CODE).is_deleted


def _save_as(keyboard: Keyboard, path: Path):  # type: ignore[no-untyped-def]
    """In Qt's Save dialog: the file name field has the focus; replace it, Enter."""

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        keyboard.press(Qt.Key.Key_A, CTRL)
        keyboard.type(str(path))
        keyboard.enter()

    return act


def test_export_the_audit_trail_to_csv(
    qtbot: QtBot,
    keyboard: Keyboard,
    window: MainWindow,
    other_pc: AppSession,
    database: Database,
    tmp_path: Path,
) -> None:
    register(database, CODE)
    other_pc.consume(CODE, "10", order_id=ORDER, expected_version=None)
    keyboard.press(Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), AuditWindow))
    audit = QApplication.activeWindow()
    assert isinstance(audit, AuditWindow)
    qtbot.waitUntil(lambda: audit.model.rowCount() == 2)
    target = tmp_path / "trail export.csv"
    pending = keyboard.in_next_modal("save CSV", _save_as(keyboard, target), kind=QFileDialog)
    keyboard.press(Qt.Key.Key_S, CTRL)
    pending.check()
    qtbot.waitUntil(target.exists)
    with target.open(newline="", encoding="utf-8-sig") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 3  # the header and both events
    assert any(ORDER in row for row in rows[1:])
    keyboard.press(Qt.Key.Key_Escape)  # closes the audit window
    qtbot.waitUntil(lambda: not audit.isVisible())


def test_export_the_daily_sheet_to_pdf(
    qtbot: QtBot,
    keyboard: Keyboard,
    window: MainWindow,
    other_pc: AppSession,
    database: Database,
    tmp_path: Path,
) -> None:
    register(database, CODE)
    _refresh(keyboard, window)
    target = tmp_path / "sheet.pdf"

    def options(dialog: QWidget) -> None:
        assert isinstance(dialog, SheetOptionsDialog)
        keyboard.enter()  # Export… is the default

    # The Save dialog opens once the options dialog has closed, from the same shortcut.
    asked = keyboard.in_next_modal("sheet options", options, kind=SheetOptionsDialog)
    saved = keyboard.in_next_modal("save PDF", _save_as(keyboard, target), kind=QFileDialog)
    keyboard.press(Qt.Key.Key_P, CTRL | SHIFT)
    asked.check()
    saved.check()
    qtbot.waitUntil(lambda: target.exists() and not window.printing.sheets.exporting)
    assert len(PdfReader(target).pages) >= 1
