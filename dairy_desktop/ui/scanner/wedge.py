"""Keyboard-wedge scanner capture: tell a scan from typing by its rhythm.

A wedge scanner "types" its barcode. The first key of a scan looks exactly like the first
key of typing, so every character key is held back from the moment it arrives. The burst
then ends one of two ways:

* **scan** — each key came within ``max_gap_ms`` of the one before, at least
  ``min_length`` characters arrived, and a configured terminator ended it: the held keys
  are dropped and ``scanned(text)`` is emitted (queued, once the key event is finished);
* **typing** — a pause longer than ``max_gap_ms`` (seen by the next key, or by a timer when
  none follows), a terminator too early, or any other key (arrows, Backspace, shortcuts,
  auto-repeat): the held key events are replayed, in order, to the object they were meant
  for, and the interrupting key follows them.

So typing is delayed by about ``max_gap_ms`` but never lost, reordered or altered, and a scan
never leaves a character in whatever had focus.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from shiboken6 import isValid

from dairy_desktop.ui.scanner.keys import KeyRole, classify
from dairy_desktop.ui.scanner.wedge_settings import Terminator, WedgeSettings

Clock = Callable[[], float]
"""Monotonic time in milliseconds."""

# Qt timers may fire a little late or early; the timer only notices "no further key came",
# the gap rule itself is measured with the clock, so a small margin costs nothing.
_QUIET_SLACK_MS = 15

_TERMINATOR_OF = {
    KeyRole.ENTER: frozenset({Terminator.ENTER, Terminator.CR_LF}),
    KeyRole.TAB: frozenset({Terminator.TAB}),
    KeyRole.LF: frozenset({Terminator.LF}),
}


def monotonic_ms() -> float:
    return time.monotonic_ns() / 1_000_000


@dataclass
class _Burst:
    """Key events held back while it is not yet known whether they are a scan."""

    target: QObject
    last_at: float
    events: list[QKeyEvent] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    held: Counter[int] = field(default_factory=Counter)
    """Keys pressed in this burst whose release has not come yet."""

    @property
    def text(self) -> str:
        return "".join(self.chars)


class ScannerWedge(QObject):
    """Application-wide event filter emitting ``scanned(raw)`` for each wedge scan.

    Install it on the QApplication (``install()``). It emits for scans made while a modal
    dialog is open too; the receiver decides where a scan goes.
    """

    scanned = Signal(str)
    _scan_ready = Signal(str)

    def __init__(
        self,
        settings: WedgeSettings | None = None,
        *,
        clock: Clock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings or WedgeSettings()
        self._clock = clock or monotonic_ms
        self._enabled = True
        self._burst: _Burst | None = None
        self._replaying = False
        self._swallow_releases: Counter[int] = Counter()
        self._lf_expected_until: float | None = None
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setTimerType(Qt.TimerType.PreciseTimer)
        self._quiet.timeout.connect(self.flush)
        # Receivers may open a modal dialog; let them run after the key event is finished
        # rather than inside this filter.
        self._scan_ready.connect(self.scanned, Qt.ConnectionType.QueuedConnection)

    @property
    def settings(self) -> WedgeSettings:
        return self._settings

    def set_settings(self, settings: WedgeSettings) -> None:
        self.flush()
        self._settings = settings

    def is_enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """When disabled every key goes straight through (held keys are replayed first)."""
        if not enabled:
            self.flush()
        self._enabled = enabled

    def install(self, app: QCoreApplication | None = None) -> None:
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("ScannerWedge.install() needs a QApplication.")
        app.installEventFilter(self)

    def uninstall(self, app: QCoreApplication | None = None) -> None:
        app = app or QCoreApplication.instance()
        self.flush()
        if app is not None:
            app.removeEventFilter(self)

    def flush(self) -> None:
        """Replay whatever is held back, as typing, to the object it was meant for."""
        burst, self._burst = self._burst, None
        self._quiet.stop()
        if burst is None or not isValid(burst.target):
            return  # nothing held, or the widget is gone and there is nowhere to type
        self._replaying = True
        try:
            for event in burst.events:
                QCoreApplication.sendEvent(burst.target, event)
        finally:
            self._replaying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not self._enabled or not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.KeyPress:
            return self._on_press(watched, event)
        if event.type() == QEvent.Type.KeyRelease:
            return self._on_release(event)
        return False

    # A key event may reach this filter several times: at the QWindow, at the focus widget,
    # then at each parent while it is ignored. Whatever is swallowed is swallowed at the first
    # sight; whatever goes through leaves no state behind, so later sights change nothing.

    def _on_press(self, watched: QObject, event: QKeyEvent) -> bool:
        now = self._clock()
        role, chars = classify(event)
        if role is KeyRole.NEUTRAL:
            return False
        if self._is_trailing_lf(role, now):
            return self._swallow(event)
        target = _target(watched)
        if role is KeyRole.DATA:
            self._hold(event, chars, target, now)
            return True
        burst = self._burst
        if burst is not None and self._ends_scan(burst, role, target, now):
            self._burst = None
            self._quiet.stop()
            self._swallow_releases.update(+burst.held)
            if role is KeyRole.ENTER and Terminator.CR_LF in self._settings.terminators:
                self._lf_expected_until = now + self._settings.max_gap_ms
            self._scan_ready.emit(burst.text)
            return self._swallow(event)
        self.flush()
        return False

    def _on_release(self, event: QKeyEvent) -> bool:
        key = event.key()
        burst = self._burst
        if burst is not None and burst.held[key] > 0:
            burst.held[key] -= 1
            burst.events.append(QKeyEvent(event))
            return True
        if self._swallow_releases[key] > 0:
            self._swallow_releases[key] -= 1
            return True
        return False

    def _hold(self, event: QKeyEvent, chars: str, target: QObject, now: float) -> None:
        burst = self._burst
        if burst is not None and (
            now - burst.last_at > self._settings.max_gap_ms or burst.target is not target
        ):
            self.flush()  # the keys held so far were typing
            burst = None
        if burst is None:
            burst = self._burst = _Burst(target=target, last_at=now)
        burst.events.append(QKeyEvent(event))  # a copy: Qt destroys the original
        burst.chars.append(chars)
        burst.held[event.key()] += 1
        burst.last_at = now
        self._quiet.start(self._settings.max_gap_ms + _QUIET_SLACK_MS)

    def _ends_scan(self, burst: _Burst, role: KeyRole, target: QObject, now: float) -> bool:
        settings = self._settings
        return (
            bool(_TERMINATOR_OF.get(role, frozenset()) & settings.terminators)
            and burst.target is target
            and now - burst.last_at <= settings.max_gap_ms
            and len(burst.text) >= settings.min_length
        )

    def _is_trailing_lf(self, role: KeyRole, now: float) -> bool:
        """The LF of a CR LF terminator, right after the CR that ended a scan."""
        until, self._lf_expected_until = self._lf_expected_until, None
        return until is not None and role is KeyRole.LF and now <= until

    def _swallow(self, event: QKeyEvent) -> bool:
        self._swallow_releases[event.key()] += 1
        return True


def _target(watched: QObject) -> QObject:
    """Where Qt would deliver a key event first seen at ``watched``."""
    if isinstance(watched, QWindow):
        return watched.focusObject() or watched
    return watched
