"""Keystrokes as a wedge scanner or a person sends them, for tests (QtTest-based).

Any UI test in the project can type a scan into a window with ``ScanKeyboard`` and check
with ``KeyRecorder`` that no stray key reached a widget. The app itself never imports this.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from dairy_desktop.ui.scanner.wedge_settings import Terminator

KeyTarget = QWidget | QWindow
"""A widget receives keys directly; a QWindow receives them as the platform would deliver."""


class ManualClock:
    """Monotonic milliseconds that move only when told to, for ``ScannerWedge(clock=...)``."""

    def __init__(self, start_ms: float = 10_000.0) -> None:
        self.now = start_ms

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms


class ScanKeyboard:
    """Types like a scanner or a person.

    ``pause`` is how time passes between keys: ``ManualClock.advance`` for deterministic
    tests (no event loop runs between keys), or ``qtbot.wait`` for real pauses.
    """

    def __init__(self, pause: Callable[[int], object]) -> None:
        self._pause = pause

    def pause(self, ms: int) -> None:
        if ms > 0:
            self._pause(ms)

    def key(
        self,
        target: KeyTarget,
        key: Qt.Key,
        text: str = "",
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> None:
        """Press and release one key (QTest adds the Shift/Ctrl presses around it)."""
        QTest.sendKeyEvent(QTest.KeyAction.Click, target, key, text, modifiers)

    def char(self, target: KeyTarget, ch: str) -> None:
        """One character the way a wedge scanner sends it: Shift+letter for upper case."""
        if ch == "\x1d":
            self.key(target, Qt.Key.Key_BracketRight, ch, Qt.KeyboardModifier.ControlModifier)
            return
        ascii_key = ch.isascii() and ch.isprintable()
        key = Qt.Key(ord(ch.upper())) if ascii_key else Qt.Key.Key_unknown
        shift = (
            Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        )
        self.key(target, key, ch, shift)

    def type(self, target: KeyTarget, text: str, gaps_ms: int | list[int]) -> None:
        """Type ``text`` with one pause for all keys, or ``gaps_ms[i]`` before key ``i``."""
        gaps = gaps_ms if isinstance(gaps_ms, list) else [gaps_ms] * len(text)
        for index, ch in enumerate(text):
            if index:
                self.pause(gaps[index])
            self.char(target, ch)

    def terminator(self, target: KeyTarget, terminator: Terminator, gap_ms: int = 0) -> None:
        if terminator in (Terminator.ENTER, Terminator.CR_LF):
            self.key(target, Qt.Key.Key_Return, "\r")
        if terminator is Terminator.TAB:
            self.key(target, Qt.Key.Key_Tab, "\t")
        if terminator is Terminator.CR_LF:
            self.pause(gap_ms)
        if terminator in (Terminator.LF, Terminator.CR_LF):
            self.key(target, Qt.Key.Key_J, "\n", Qt.KeyboardModifier.ControlModifier)

    def scan(
        self,
        target: KeyTarget,
        text: str,
        *,
        gap_ms: int = 4,
        terminator: Terminator = Terminator.ENTER,
    ) -> None:
        """``text`` then the terminator, every key ``gap_ms`` after the one before."""
        self.type(target, text, gap_ms)
        self.pause(gap_ms)
        self.terminator(target, terminator, gap_ms)


class KeyRecorder(QObject):
    """Install on a widget to see which key events really reach it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seen: list[tuple[str, int, str]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.KeyRelease,
        ):
            kind = "press" if event.type() == QEvent.Type.KeyPress else "release"
            self.seen.append((kind, event.key(), event.text()))
        return False

    def typed(self) -> str:
        """The text of every key press that arrived, in order."""
        return "".join(text for kind, _key, text in self.seen if kind == "press")
