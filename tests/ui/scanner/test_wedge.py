"""The wedge tells a scan from typing by rhythm; typing always reaches the field unchanged.

Real-time tests send QTest key events with real pauses (scanner 2-10 ms, person 150+ ms);
manual-clock tests pin the exact boundaries without depending on the machine's speed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import pytest
import shiboken6
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.scanner.wedge_settings import Terminator, WedgeSettings
from tests.support.keystrokes import KeyRecorder, ManualClock, ScanKeyboard

CODE = "SCH-20251204-0001"
SETTLE_MS = 120  # long enough for queued emissions and the replay timer
# Real pauses stretch when the test machine is busy (qtbot.wait(3) can take 40 ms), so the
# real-time scanner-speed tests allow 80 ms; the exact 30 ms default boundary is pinned by
# the manual-clock tests, and human typing is tested real-time against the 30 ms default.
REAL_TIME = WedgeSettings(max_gap_ms=80)
MODIFIER_KEYS = {int(Qt.Key.Key_Shift), int(Qt.Key.Key_Control)}


@dataclass
class Form:
    window: QWidget
    first: QLineEdit
    second: QLineEdit
    first_keys: KeyRecorder
    second_keys: KeyRecorder
    returns: list[str] = field(default_factory=list)
    """The first field's text each time Enter reached it."""


@dataclass
class Wedge:
    wedge: ScannerWedge
    scans: list[str]


@pytest.fixture
def form(qtbot: QtBot) -> Form:
    window = QWidget()
    first, second = QLineEdit(), QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(first)
    layout.addWidget(second)
    made = Form(window, first, second, KeyRecorder(window), KeyRecorder(window))
    first.installEventFilter(made.first_keys)
    second.installEventFilter(made.second_keys)
    first.returnPressed.connect(lambda: made.returns.append(first.text()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    return made


@pytest.fixture
def install(qapp: QApplication) -> Iterator[Callable[..., Wedge]]:
    made: list[ScannerWedge] = []

    def build(settings: WedgeSettings | None = None, clock: ManualClock | None = None) -> Wedge:
        wedge = ScannerWedge(settings, clock=clock)
        scans: list[str] = []
        wedge.scanned.connect(scans.append)
        wedge.install(qapp)
        made.append(wedge)
        return Wedge(wedge, scans)

    yield build
    for wedge in made:
        wedge.uninstall(qapp)
        wedge.deleteLater()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def manual(clock: ManualClock) -> ScanKeyboard:
    """Keys with pauses on the manual clock: no event loop runs between them."""
    return ScanKeyboard(clock.advance)


@pytest.fixture
def real(qtbot: QtBot) -> ScanKeyboard:
    return ScanKeyboard(qtbot.wait)


def scanner_gaps(text: str, seed: int) -> list[int]:
    generator = random.Random(seed)
    return [generator.randint(2, 10) for _ in text]


# --- real pauses -------------------------------------------------------------------------


@pytest.mark.parametrize("terminator", list(Terminator))
def test_a_scan_at_scanner_speed_is_emitted_once_and_the_focused_field_stays_empty(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    real: ScanKeyboard,
    terminator: Terminator,
) -> None:
    capture = install(replace(REAL_TIME, terminators=frozenset({terminator})))
    gaps = scanner_gaps(CODE, seed=len(terminator))

    real.type(form.first, CODE, gaps)
    real.pause(gaps[-1])
    real.terminator(form.first, terminator, gap_ms=3)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [CODE]
    assert form.first.text() == ""
    assert form.first_keys.typed() == ""
    assert form.first.hasFocus()  # a Tab terminator did not move the focus either
    assert form.returns == []


def test_a_scan_through_the_window_goes_nowhere_near_the_field_with_focus(
    qtbot: QtBot, form: Form, install: Callable[..., Wedge], real: ScanKeyboard
) -> None:
    capture = install(REAL_TIME)
    form.second.setFocus()
    qtbot.waitUntil(form.second.hasFocus)

    # Sent to the QWindow, the key events take the platform's path: window, then focus widget.
    window = form.window.windowHandle()
    real.type(window, CODE, scanner_gaps(CODE, seed=7))
    real.pause(4)
    real.terminator(window, Terminator.ENTER)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [CODE]
    assert (form.first.text(), form.second.text()) == ("", "")
    assert form.second_keys.typed() == ""


def test_typing_at_human_speed_reaches_the_focused_field_unchanged(
    qtbot: QtBot, form: Form, install: Callable[..., Wedge], real: ScanKeyboard
) -> None:
    capture = install()
    typed = "Sch-2025 x"

    real.type(form.window.windowHandle(), typed, 150)
    real.pause(150)
    real.terminator(form.window.windowHandle(), Terminator.ENTER)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == []
    assert form.first.text() == typed
    assert form.returns == [typed]  # Enter arrived after every character, not before


def test_a_short_fast_burst_then_enter_is_typing(
    qtbot: QtBot, form: Form, install: Callable[..., Wedge], real: ScanKeyboard
) -> None:
    capture = install(REAL_TIME)

    real.scan(form.first, "AB12", gap_ms=3)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == []
    assert form.first.text() == "AB12"
    assert form.returns == ["AB12"]


def test_a_fast_burst_with_no_terminator_is_typing(
    qtbot: QtBot, form: Form, install: Callable[..., Wedge], real: ScanKeyboard
) -> None:
    capture = install(REAL_TIME)

    real.type(form.first, CODE, 3)
    qtbot.waitUntil(lambda: form.first.text() == CODE, timeout=2_000)

    assert capture.scans == []


def test_a_scan_while_a_modal_dialog_is_open_is_emitted_and_the_dialog_field_stays_empty(
    qtbot: QtBot, form: Form, install: Callable[..., Wedge], real: ScanKeyboard
) -> None:
    capture = install(REAL_TIME)
    dialog = QDialog(form.window)
    order = QLineEdit(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    order.setFocus()
    qtbot.waitUntil(order.hasFocus)

    real.scan(dialog.windowHandle(), "ORDER-20251204-1234", gap_ms=3)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == ["ORDER-20251204-1234"]
    assert order.text() == ""
    assert dialog.isVisible()  # the Enter did not reach the dialog's default button either
    dialog.reject()


# --- manual clock: exact boundaries ------------------------------------------------------


def test_a_gap_at_the_limit_belongs_to_the_scan_and_one_ms_more_splits_it(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(clock=clock)

    manual.scan(form.first, CODE, gap_ms=30)  # a slow scanner: every gap at the limit
    manual.type(form.first, "SCH-20", 20)  # no scanner rhythm: the limit is strict
    manual.pause(31)
    manual.scan(form.first, "251204-0001", gap_ms=5)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [CODE, "251204-0001"]
    assert form.first.text() == "SCH-20"  # the part before the long pause was typing


def test_a_scanner_rhythm_survives_two_holes_of_up_to_four_times_the_limit(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    # A sender starved of CPU leaves the odd hole in its keys' timestamps.
    capture = install(clock=clock)

    manual.type(form.first, "SCH-2025", 4)
    manual.pause(120)
    manual.type(form.first, "1204-00", 4)
    manual.pause(90)
    manual.scan(form.first, "01", gap_ms=4)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [CODE]
    assert form.first.text() == ""


@pytest.mark.parametrize(
    ("holes", "scanned", "typed"),
    [([121], "251204-0001", "SCH-20"), ([100, 100, 100], "4-0001", "SCH-2025120")],
    ids=["a hole too long", "a third hole"],
)
def test_a_longer_hole_or_a_third_one_splits_even_a_scanner_rhythm(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
    holes: list[int],
    scanned: str,
    typed: str,
) -> None:
    capture = install(clock=clock)
    pieces = ["SCH-20", "251204-0001"] if len(holes) == 1 else ["SCH-20", "25", "120", "4-0001"]

    for piece, hole in zip(pieces, holes, strict=False):
        manual.type(form.first, piece, 4)
        manual.pause(hole)
    manual.scan(form.first, pieces[-1], gap_ms=4)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [scanned]
    assert form.first.text() == typed


@pytest.mark.parametrize(("length", "is_scan"), [(5, False), (6, True)])
def test_fewer_characters_than_the_minimum_are_typing(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
    length: int,
    is_scan: bool,
) -> None:
    capture = install(WedgeSettings(min_length=6), clock=clock)
    text = "ABC123"[:length]

    manual.scan(form.first, text, gap_ms=2)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == ([text] if is_scan else [])
    assert form.first.text() == ("" if is_scan else text)


def test_a_terminator_after_a_long_pause_is_typing_and_reaches_the_field(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(clock=clock)

    manual.type(form.first, CODE, 4)
    manual.pause(121)  # beyond even a scanner rhythm's stretch
    manual.terminator(form.first, Terminator.ENTER)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == []
    assert form.returns == [CODE]


def test_an_editing_key_in_a_burst_applies_after_the_held_characters(
    form: Form, install: Callable[..., Wedge], clock: ManualClock, manual: ScanKeyboard
) -> None:
    install(clock=clock)

    manual.type(form.first, "ABC", 3)
    manual.key(form.first, Qt.Key.Key_Backspace, "\b")

    assert form.first.text() == "AB"


def test_a_shortcut_in_a_burst_applies_after_the_held_characters(
    form: Form, install: Callable[..., Wedge], clock: ManualClock, manual: ScanKeyboard
) -> None:
    install(clock=clock)

    manual.type(form.first, "abc", 3)
    manual.key(form.first, Qt.Key.Key_A, "\x01", Qt.KeyboardModifier.ControlModifier)

    assert form.first.selectedText() == "abc"


def test_a_held_key_repeating_fast_is_typing(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(clock=clock)

    manual.char(form.first, "a")
    for _ in range(8):
        clock.advance(20)
        repeat = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a", True
        )
        QApplication.sendEvent(form.first, repeat)
    manual.terminator(form.first, Terminator.ENTER)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == []
    assert form.returns == ["a" * 9]


def test_gs_typed_as_ctrl_bracket_is_part_of_the_scan(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(clock=clock)
    gs1 = "]C10109501101530003" + "10SCH-20251204-0001\x1d" + "17251211"

    manual.scan(form.first, gs1, gap_ms=3)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [gs1]
    assert form.first.text() == ""


def test_scanned_is_delivered_after_the_key_event_is_finished(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    # A receiver may open a modal dialog; it must not run inside the event filter.
    capture = install(clock=clock)
    inside_key_event: list[bool] = []
    sending = False
    capture.wedge.scanned.connect(lambda _text: inside_key_event.append(sending))

    manual.type(form.first, CODE, 3)
    sending = True
    manual.terminator(form.first, Terminator.ENTER)
    sending = False
    qtbot.waitUntil(lambda: bool(inside_key_event), timeout=1000)

    assert inside_key_event == [False]


def test_no_key_of_a_scan_reaches_the_field_not_even_a_release(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    install(WedgeSettings(terminators=frozenset({Terminator.CR_LF})), clock=clock)

    manual.scan(form.first, "Sch-20251204-0001", gap_ms=3, terminator=Terminator.CR_LF)
    qtbot.wait(SETTLE_MS)

    # Only Shift (pressed by the scanner for capitals) and Ctrl (for the LF) go through.
    assert [seen for seen in form.first_keys.seen if seen[1] not in MODIFIER_KEYS] == []


def test_typing_reaches_the_field_as_the_same_presses_and_releases_in_order(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    install(clock=clock)
    typed = "aZ9 -"

    manual.type(form.first, typed, 200)
    qtbot.wait(SETTLE_MS)

    characters = [seen for seen in form.first_keys.seen if seen[1] not in MODIFIER_KEYS]
    expected = []
    for ch in typed:
        key = ord(ch.upper())
        expected += [("press", key, ch), ("release", key, ch)]
    assert characters == expected
    assert form.first.text() == typed


def test_the_lf_of_cr_lf_is_not_swallowed_when_it_comes_late(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(WedgeSettings(terminators=frozenset({Terminator.CR_LF})), clock=clock)

    manual.scan(form.first, CODE, gap_ms=3, terminator=Terminator.ENTER)
    manual.pause(31)
    manual.terminator(form.first, Terminator.LF)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == [CODE]
    assert ("press", int(Qt.Key.Key_J), "\n") in form.first_keys.seen


def test_a_tab_that_is_not_a_terminator_ends_the_burst_as_typing(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(clock=clock)  # Enter only

    manual.scan(form.first, CODE, gap_ms=3, terminator=Terminator.TAB)
    qtbot.wait(SETTLE_MS)

    assert capture.scans == []
    assert form.first.text() == CODE
    assert form.second.hasFocus()


def test_a_disabled_wedge_lets_every_key_straight_through(
    form: Form, install: Callable[..., Wedge], clock: ManualClock, manual: ScanKeyboard
) -> None:
    capture = install(clock=clock)
    capture.wedge.set_enabled(False)

    manual.scan(form.first, CODE, gap_ms=3)

    assert form.first.text() == CODE  # no replay needed: nothing was held
    assert form.returns == [CODE]


def test_held_keys_for_a_widget_that_is_gone_are_dropped_quietly(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
) -> None:
    capture = install(clock=clock)
    doomed = QLineEdit(form.window)

    manual.type(doomed, "abc", 3)
    shiboken6.delete(doomed)
    qtbot.wait(SETTLE_MS)  # the replay timer fires with nowhere to type

    assert capture.scans == []
    assert form.first.text() == ""


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(st.characters(codec="utf-8").filter(str.isprintable), min_size=1, max_size=20))
def test_any_printable_text_typed_slowly_arrives_exactly_and_fast_with_enter_is_a_scan(
    qtbot: QtBot,
    form: Form,
    install: Callable[..., Wedge],
    clock: ManualClock,
    manual: ScanKeyboard,
    text: str,
) -> None:
    capture = install(WedgeSettings(min_length=1), clock=clock)
    form.first.clear()

    manual.type(form.first, text, 40)
    capture.wedge.flush()  # what the replay timer does when no further key comes
    manual.pause(40)
    manual.scan(form.first, text, gap_ms=2)
    qtbot.wait(1)  # deliver the queued emission

    assert form.first.text() == text
    assert capture.scans == [text]
    capture.wedge.uninstall()
