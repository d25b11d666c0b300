"""A scan is a scan however late the GUI thread gets to its keys.

Keys are posted as real QKeyEvents carrying window-system timestamps (as xcb gives them),
so they pass through the application's event filter the way a scanner's keys do, and the
GUI thread is blocked with time.sleep in between: what the wedge decides must follow the
timestamps, not the moments it handled the keys.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.scanner.wedge_settings import WedgeSettings

CODE = "SCH-20251204-0001"
STALL_S = 0.2


class StampedKeys:
    """Posts key presses and releases with timestamps a scanner's pace apart."""

    def __init__(self, start_ms: int = 1_000_000) -> None:
        self.now = start_ms

    def _post(self, target: QObject, kind: QEvent.Type, key: int, text: str) -> None:
        shift = Qt.KeyboardModifier.ShiftModifier if text.isupper() else Qt.KeyboardModifier(0)
        event = QKeyEvent(kind, key, shift, text)
        event.setTimestamp(self.now)
        QApplication.postEvent(target, event)

    def key(self, target: QObject, key: int, text: str, gap_ms: int = 4) -> None:
        self.now += gap_ms
        self._post(target, QEvent.Type.KeyPress, key, text)
        self._post(target, QEvent.Type.KeyRelease, key, text)

    def text(self, target: QObject, text: str, gap_ms: int = 4) -> None:
        for ch in text:
            self.key(target, ord(ch.upper()), ch, gap_ms)

    def enter(self, target: QObject, gap_ms: int = 4) -> None:
        self.key(target, int(Qt.Key.Key_Return), "\r", gap_ms)


def post_stall(seconds: float) -> None:
    """Block the GUI thread when the event loop reaches this point of the queue."""
    QTimer.singleShot(0, lambda: time.sleep(seconds))


@pytest.fixture
def scans(qapp: QApplication) -> Iterator[tuple[ScannerWedge, list[str]]]:
    wedge = ScannerWedge(WedgeSettings())
    seen: list[str] = []
    wedge.scanned.connect(seen.append)
    wedge.install(qapp)
    yield wedge, seen
    wedge.uninstall(qapp)
    wedge.deleteLater()


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    return edit


def test_a_scan_with_the_gui_blocked_200_ms_in_its_middle_arrives_whole(
    qtbot: QtBot, field: QLineEdit, scans: tuple[ScannerWedge, list[str]]
) -> None:
    _wedge, seen = scans
    keys = StampedKeys()
    keys.text(field, CODE[:8])
    # The stall runs after the first half is handled; the quiet timer comes due during it.
    QTimer.singleShot(
        0,
        lambda: (
            time.sleep(STALL_S),
            keys.text(field, CODE[8:]),
            keys.enter(field),
        ),
    )
    qtbot.waitUntil(lambda: seen == [CODE], timeout=2_000)
    qtbot.wait(100)

    assert seen == [CODE]
    assert field.text() == ""


def test_the_late_quiet_timer_waits_for_keys_already_queued_behind_it(
    qtbot: QtBot, field: QLineEdit, scans: tuple[ScannerWedge, list[str]]
) -> None:
    # The first half is handled, then the thread stalls past the quiet timer's deadline;
    # when it wakes the rest is already queued: the timer must not call the first half
    # typing before those keys are seen.
    _wedge, seen = scans
    keys = StampedKeys()
    keys.text(field, CODE[:8])
    QApplication.sendPostedEvents()
    time.sleep(STALL_S)  # the timer is overdue now
    keys.text(field, CODE[8:])
    keys.enter(field)
    qtbot.waitUntil(lambda: bool(seen), timeout=2_000)
    qtbot.wait(100)

    assert seen == [CODE]
    assert field.text() == ""


def test_keys_with_timestamps_far_apart_are_typing_even_when_handled_together(
    qtbot: QtBot, field: QLineEdit, scans: tuple[ScannerWedge, list[str]]
) -> None:
    _wedge, seen = scans
    keys = StampedKeys()
    keys.text(field, "Sch-2025", gap_ms=150)  # a person, delivered in one clump
    keys.enter(field, gap_ms=150)
    qtbot.waitUntil(lambda: field.text() == "Sch-2025", timeout=2_000)
    qtbot.wait(100)

    assert seen == []


def _table(qtbot: QtBot, codes: list[str]) -> QTableView:
    model = QStandardItemModel(len(codes), 1)
    for row, code in enumerate(codes):
        model.setItem(row, 0, QStandardItem(code))
    view = QTableView()
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)  # read-only, as the app's
    view.setModel(model)
    view.setParent(None)
    model.setParent(view)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    view.setCurrentIndex(model.index(len(codes) - 1, 0))
    return view


def test_typing_at_a_table_still_moves_its_type_ahead(
    qtbot: QtBot, scans: tuple[ScannerWedge, list[str]]
) -> None:
    _wedge, seen = scans
    view = _table(qtbot, [f"SCH-2025120{n}-0001" for n in range(10)] + ["MEY-1"])
    keys = StampedKeys()

    keys.text(view, "SCH-20251205", gap_ms=120)
    qtbot.waitUntil(lambda: view.currentIndex().row() == 5, timeout=3_000)

    assert seen == []


def test_a_scanner_burst_at_a_table_without_its_terminator_never_reaches_the_type_ahead(
    qtbot: QtBot, scans: tuple[ScannerWedge, list[str]]
) -> None:
    _wedge, seen = scans
    view = _table(qtbot, [f"SCH-2025120{n}-0001" for n in range(10)] + ["MEY-1"])
    keys = StampedKeys()

    keys.text(view, "SCH-20251203-0001")  # no Enter: the quiet timer ends it
    qtbot.wait(400)

    assert seen == []
    assert view.currentIndex().row() == 10


def _burn(seconds: float) -> list[subprocess.Popen[bytes]]:
    loop = f"import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass\n"
    return [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(2)]


@pytest.mark.slow
def test_50_scans_on_a_busy_pc_are_all_recognised_and_the_table_never_moves(
    qtbot: QtBot, scans: tuple[ScannerWedge, list[str]]
) -> None:
    _wedge, seen = scans
    codes = [f"SCH-20251204-{n:04d}" for n in range(1, 61)]
    view = _table(qtbot, codes)
    opened: list[int] = []
    view.activated.connect(lambda index: opened.append(index.row()))
    start_row = view.currentIndex().row()
    burners = _burn(30)
    try:
        keys = StampedKeys()
        for n in range(50):
            code = codes[(n * 7) % len(codes)]
            keys.text(view, code)
            keys.enter(view)
            post_stall(0.03 if n % 5 == 0 else 0)  # now and then the GUI thread is busy
            qtbot.waitUntil(lambda n=n: len(seen) == n + 1, timeout=5_000)
            keys.now += 400
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()

    assert seen == [codes[(n * 7) % len(codes)] for n in range(50)]
    assert view.currentIndex().row() == start_row
    assert opened == []


def test_a_scan_into_a_form_while_a_sibling_has_focus_goes_nowhere(
    qtbot: QtBot, scans: tuple[ScannerWedge, list[str]]
) -> None:
    _wedge, seen = scans
    window = QWidget()
    first, second = QLineEdit(window), QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    keys = StampedKeys()
    post_stall(STALL_S)
    keys.text(second, CODE)
    keys.enter(second)
    qtbot.waitUntil(lambda: seen == [CODE], timeout=2_000)

    assert (first.text(), second.text()) == ("", "")
