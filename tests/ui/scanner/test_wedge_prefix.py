"""Prefix mode: between the prefix key and the end is the scan, whatever the timing; every
other key is typing and goes straight through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.scanner.burst import BurstReport, Outcome
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.scanner.wedge_settings import Marker, Terminator, WedgeSettings
from tests.support.keystrokes import KeyRecorder, ManualClock, ScanKeyboard

CODE = "SCH-20251204-0001"
F12 = WedgeSettings(prefix=Marker.F12)


class Capture:
    def __init__(self, wedge: ScannerWedge) -> None:
        self.wedge = wedge
        self.scans: list[str] = []
        self.reports: list[BurstReport] = []
        wedge.scanned.connect(self.scans.append)
        wedge.burst_ended.connect(self.reports.append)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def keys(clock: ManualClock) -> ScanKeyboard:
    return ScanKeyboard(clock.advance)


@pytest.fixture
def field(qtbot: QtBot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    return edit


@pytest.fixture
def install(qapp: QApplication, clock: ManualClock) -> Iterator[type[Capture]]:
    made: list[ScannerWedge] = []

    class Installed(Capture):
        def __init__(self, settings: WedgeSettings) -> None:  # type: ignore[override]
            wedge = ScannerWedge(settings, clock=clock)
            wedge.install(qapp)
            made.append(wedge)
            super().__init__(wedge)

    yield Installed
    for wedge in made:
        wedge.uninstall(qapp)
        wedge.deleteLater()


def press_prefix(keys: ScanKeyboard, field: QLineEdit, marker: Marker) -> None:
    if marker is Marker.STX:
        keys.key(field, Qt.Key.Key_B, "\x02", Qt.KeyboardModifier.ControlModifier)
    else:
        keys.key(field, Qt.Key(int(Qt.Key.Key_F1) + int(marker.name[1:]) - 1))


@pytest.mark.parametrize("marker", [Marker.F12, Marker.STX])
def test_a_slow_scan_after_the_prefix_is_still_a_scan(
    qtbot: QtBot,
    field: QLineEdit,
    install: type[Capture],
    keys: ScanKeyboard,
    marker: Marker,
) -> None:
    capture = install(WedgeSettings(prefix=marker))
    recorder = KeyRecorder(field)
    field.installEventFilter(recorder)

    press_prefix(keys, field, marker)
    keys.type(field, CODE, 200)  # far slower than any timing rule would accept
    keys.pause(300)
    keys.terminator(field, Terminator.ENTER)
    qtbot.wait(50)

    assert capture.scans == [CODE]
    assert field.text() == ""
    ignored = {int(Qt.Key.Key_Shift), int(Qt.Key.Key_Control)}
    assert [seen for seen in recorder.seen if seen[1] not in ignored] == []
    assert capture.reports[-1].outcome is Outcome.SCAN
    assert capture.reports[-1].prefixed


def test_fast_keys_without_the_prefix_are_typing_and_are_not_even_held(
    qtbot: QtBot, field: QLineEdit, install: type[Capture], keys: ScanKeyboard
) -> None:
    capture = install(F12)

    keys.scan(field, CODE, gap_ms=2)
    # No timer needed: nothing was held back.
    assert field.text() == CODE
    qtbot.wait(50)
    assert capture.scans == []


def test_a_suffix_ends_the_scan_and_the_enter_right_after_it_is_swallowed(
    qtbot: QtBot, field: QLineEdit, install: type[Capture], keys: ScanKeyboard
) -> None:
    capture = install(WedgeSettings(prefix=Marker.F12, suffix=Marker.F11, terminators=frozenset()))
    returns: list[str] = []
    field.returnPressed.connect(lambda: returns.append(field.text()))

    press_prefix(keys, field, Marker.F12)
    keys.type(field, "ORDER-1#2", 50)
    keys.key(field, Qt.Key.Key_F11)
    keys.pause(5)
    keys.terminator(field, Terminator.ENTER)
    qtbot.wait(50)

    assert capture.scans == ["ORDER-1#2"]
    assert returns == []  # the scanner's Enter after the suffix did not reach the field
    assert capture.reports[-1].ended_by == "F11"


def test_an_arrow_key_inside_a_prefixed_scan_gives_the_keys_back_as_typing(
    qtbot: QtBot, field: QLineEdit, install: type[Capture], keys: ScanKeyboard
) -> None:
    capture = install(F12)

    press_prefix(keys, field, Marker.F12)
    keys.type(field, "abc", 10)
    keys.key(field, Qt.Key.Key_Left)
    keys.type(field, "X", 10)
    qtbot.wait(50)

    assert capture.scans == []
    assert field.text() == "abXc"


def test_the_prefix_alone_then_enter_scans_nothing(
    qtbot: QtBot, field: QLineEdit, install: type[Capture], keys: ScanKeyboard
) -> None:
    capture = install(F12)

    press_prefix(keys, field, Marker.F12)
    keys.terminator(field, Terminator.ENTER)
    qtbot.wait(50)

    assert capture.scans == []
    assert capture.reports[-1].outcome is Outcome.DISCARDED


def test_a_modified_f12_is_not_the_prefix(
    qtbot: QtBot, field: QLineEdit, install: type[Capture], keys: ScanKeyboard
) -> None:
    capture = install(F12)
    field.installEventFilter(recorder := KeyRecorder(field))

    keys.key(field, Qt.Key.Key_F12, "", Qt.KeyboardModifier.ShiftModifier)
    keys.type(field, "abc", 3)
    qtbot.wait(50)

    assert capture.scans == []
    assert field.text() == "abc"
    assert ("press", int(Qt.Key.Key_F12), "") in recorder.seen


def test_routing_off_reports_the_scan_without_emitting_it(
    qtbot: QtBot, field: QLineEdit, install: type[Capture], keys: ScanKeyboard
) -> None:
    capture = install(WedgeSettings())
    capture.wedge.set_routing(False)

    keys.scan(field, CODE, gap_ms=3)
    qtbot.waitUntil(lambda: bool(capture.reports), timeout=1_000)

    assert capture.scans == []
    assert field.text() == ""
    [report] = capture.reports
    assert (report.text, report.outcome, report.ended_by) == (CODE, Outcome.SCAN, "<CR>")
    assert [k.gap_ms for k in report.keys][:3] == [None, 3.0, 3.0]


def test_prefix_and_suffix_must_differ_and_a_suffix_can_stand_in_for_terminators() -> None:
    with pytest.raises(ValueError, match="differ"):
        WedgeSettings(prefix=Marker.F12, suffix=Marker.F12)
    with pytest.raises(ValueError, match="terminator"):
        WedgeSettings(terminators=frozenset())
    assert WedgeSettings(prefix="stx", suffix="etx", terminators=[]).suffix is Marker.ETX  # type: ignore[arg-type]


def test_an_event_with_no_text_for_stx_is_still_the_prefix(
    qtbot: QtBot, field: QLineEdit, install: type[Capture]
) -> None:
    capture = install(WedgeSettings(prefix=Marker.STX))
    ctrl_b = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier, "")
    QApplication.sendEvent(field, ctrl_b)
    ScanKeyboard(lambda _ms: None).scan(field, CODE)
    qtbot.wait(50)

    assert capture.scans == [CODE]
