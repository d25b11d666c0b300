"""Keyboard-wedge scanner capture: tell a scan from typing by its rhythm (or its prefix).

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

The pauses are measured between the key events' own timestamps (the window system's, in
ms), not between the moments the GUI thread got round to them: when that thread is busy
(a PDF export, a loaded PC) a scanner's keys queue up and are handled in clumps with long
holes between, and would otherwise be split into "typing". Events without a timestamp
(synthesised ones) fall back to the handling time. The quiet timer that ends a burst with
no further key only *asks*: it lets the event queue drain a few turns first, so a key that
was already waiting there still joins the burst.

With a ``prefix`` configured, recognition does not depend on timing at all: everything
between the prefix key and a terminator (or the suffix) is the scan, and every other key
goes straight through.

Typing is delayed by about ``max_gap_ms`` but never lost, reordered or altered, and a scan
never leaves a character in whatever had focus. Scanner-fast keys meant for a widget where
characters act (a table's type-ahead, a button) are dropped, not replayed, unless they
were truly typing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow

from dairy_desktop.ui.scanner.burst import Burst, BurstReport, Moment, Outcome, TargetRef, gap_ms
from dairy_desktop.ui.scanner.keys import KeyRole, classify, marker_of
from dairy_desktop.ui.scanner.wedge_settings import Terminator, WedgeSettings

Clock = Callable[[], float]
"""Monotonic time in milliseconds."""
ScanCheck = Callable[[str], bool]
"""Asked when fast keys end with a terminator: would whatever is in front use this as a scan?"""

# Qt timers may fire a little late or early; the timer only notices "no further key came",
# the gap rule itself is measured between timestamps, so a small margin costs nothing.
_QUIET_SLACK_MS = 15
# Where stray characters act (a table's type-ahead) a late decision costs little and an
# early one can move the selection: keys this close together stay one burst there, and
# the burst is judged as a whole (a scan is its scanner-fast median rhythm).
_ACTING_QUIET_MS = 300
# There, a scanner slowed by a busy PC may average up to this many times the limit: a person
# who types a whole code that fast and then Enter wanted it opened anyway.
_ACTING_RHYTHM_FACTOR = 2
# After a prefix, a scanner that stops sending is broken, not slow.
_PREFIXED_QUIET_MS = 1000
# Turns of the event loop the quiet timer lets pass before deciding: key events already
# read from the window system but not yet delivered are delivered within them.
_SETTLE_TURNS = 3
# A terminator right after a suffix belongs to the scan (many scanners send both).
_AFTER_SUFFIX_MS = 100
# A sender that is itself starved of CPU (a loaded PC) leaves the odd longer hole in an
# otherwise scanner-fast burst: a burst with a scanner's rhythm may stretch this many gaps
# up to this many times the limit. A person never has that rhythm.
_STRETCH_FACTOR = 4
_MAX_STRETCHES = 2
# Scanner-fast keys held for a table cannot be typing; a terminator that follows them this
# late (a slow or loaded sender) still makes them the scan they obviously were.
_LATE_TERMINATOR_MS = 1000

_TERMINATOR_OF = {
    KeyRole.ENTER: frozenset({Terminator.ENTER, Terminator.CR_LF}),
    KeyRole.TAB: frozenset({Terminator.TAB}),
    KeyRole.LF: frozenset({Terminator.LF}),
}
_ENDING_ROLES = frozenset(_TERMINATOR_OF)
_ROLE_SHOWN = {KeyRole.ENTER: "<CR>", KeyRole.TAB: "<TAB>", KeyRole.LF: "<LF>"}


def monotonic_ms() -> float:
    return time.monotonic_ns() / 1_000_000


class ScannerWedge(QObject):
    """Application-wide event filter emitting ``scanned(raw)`` for each wedge scan.

    Install it on the QApplication (``install()``). It emits for scans made while a modal
    dialog is open too; the receiver decides where a scan goes. ``burst_ended`` reports
    every burst it held, scan or not (a ``BurstReport``), for diagnosis.
    """

    scanned = Signal(str)
    burst_ended = Signal(object)
    _scan_ready = Signal(str)
    _report_ready = Signal(object)

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
        self._routing = True
        self._scan_check: ScanCheck | None = None
        self._burst: Burst | None = None
        # The held copies being given back as typing, by C++ address. Only these pass the
        # filter unseen: a replayed key may open a modal dialog (Space on a button), whose
        # own keys must still be watched.
        self._replaying: set[int] = set()
        self._swallow_releases: Counter[int] = Counter()
        self._trailing: tuple[frozenset[KeyRole], Moment, float] | None = None
        self._discarded: Burst | None = None
        self._serial = 0
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setTimerType(Qt.TimerType.PreciseTimer)
        self._quiet.timeout.connect(self._quiet_elapsed)
        # Receivers may open a modal dialog; let them run after the key event is finished
        # rather than inside this filter.
        self._scan_ready.connect(self.scanned, Qt.ConnectionType.QueuedConnection)
        self._report_ready.connect(self.burst_ended, Qt.ConnectionType.QueuedConnection)

    @property
    def settings(self) -> WedgeSettings:
        return self._settings

    def set_settings(self, settings: WedgeSettings) -> None:
        self.flush()
        self._settings = settings
        self._trailing = None

    def is_enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """When disabled every key goes straight through (held keys are replayed first)."""
        if not enabled:
            self.flush()
        self._enabled = enabled

    def is_routing(self) -> bool:
        return self._routing

    def set_routing(self, routing: bool) -> None:
        """Off: scans are still recognised and reported (``burst_ended``) but ``scanned``
        is not emitted, e.g. while the scanner test page shows what a scanner sends."""
        self._routing = routing

    def set_scan_check(self, check: ScanCheck | None) -> None:
        """A "no" from ``check`` makes a fast burst typing: the held keys reach the focused
        field and the terminator follows them. A fast typist (or a typing tool) filling in a
        dialog's reason and pressing Enter at once is not scanning; only the receiver knows
        what it could use."""
        self._scan_check = check

    def _wanted_as_scan(self, text: str) -> bool:
        if not self._routing or self._scan_check is None:
            return True  # the test page shows every scan; without a receiver, nothing to ask
        return self._scan_check(text)

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
        """End what is held now, as typing (what the quiet timer does once nothing came)."""
        burst, self._burst = self._burst, None
        self._quiet.stop()
        if burst is not None:
            self._end_as_typing(burst, "no terminator came")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._enabled or not isinstance(event, QKeyEvent):
            return False
        if self._replaying and shiboken6.getCppPointer(event)[0] in self._replaying:
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
        role, chars = classify(event)
        if role is KeyRole.NEUTRAL:
            return False
        now = Moment(event.timestamp(), self._clock())
        self._serial += 1
        if self._is_trailing(role, now):
            return self._swallow(event)
        target = _target(watched)
        if self._settings.prefix is not None:
            return self._on_press_prefixed(event, role, chars, target, now)
        if role is KeyRole.DATA:
            self._hold(event, chars, target, now)
            return True
        burst = self._burst
        if burst is not None and self._ends_scan(burst, role, target, now):
            if self._wanted_as_scan(burst.text):
                self._finish(burst, role, now)
                return self._swallow(event)
            self._burst = None
            self._quiet.stop()
            self._end_as_typing(burst, "fast keys, but not a scan for what is in front")
            return False
        discarded = self._late_terminated(role, target, now)
        if burst is None and discarded is not None and self._wanted_as_scan(discarded.text):
            self._finish(discarded, role, now, why="terminator came late after scanner keys")
            return self._swallow(event)
        self.flush()
        return False

    def _on_press_prefixed(
        self, event: QKeyEvent, role: KeyRole, chars: str, target: QObject, now: Moment
    ) -> bool:
        settings, burst = self._settings, self._burst
        marker = marker_of(event)
        if marker is not None and marker == settings.prefix:
            self.flush()  # a scan cut short by the next one
            self._burst = Burst(TargetRef(target), now, now, prefixed=True)
            self._arm_quiet()
            return self._swallow(event)
        if burst is None:
            return False  # outside a prefixed scan every key is typing, held or not
        if marker is not None and marker == settings.suffix:
            self._finish(burst, role, now, ended_by=marker.label)
            self._trailing = (_ENDING_ROLES, now, _AFTER_SUFFIX_MS)
            return self._swallow(event)
        if role is KeyRole.DATA:
            burst.add(event, chars, now)
            self._arm_quiet()
            return True
        if _TERMINATOR_OF.get(role, frozenset()) & settings.terminators:
            self._finish(burst, role, now)
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

    def _hold(self, event: QKeyEvent, chars: str, target: QObject, now: Moment) -> None:
        burst = self._burst
        self._discarded = None
        lead_gap = None
        if burst is not None and (
            not self._continues(burst, now) or not burst.target.is_for(target)
        ):
            lead_gap = gap_ms(burst.last, now)
            self.flush()  # the keys held so far were typing
            burst = None
        if burst is None:
            burst = self._burst = Burst(TargetRef(target), now, now, lead_gap=lead_gap)
        burst.add(event, chars, now)
        self._arm_quiet()

    def _ends_scan(self, burst: Burst, role: KeyRole, target: QObject, now: Moment) -> bool:
        settings = self._settings
        return (
            bool(_TERMINATOR_OF.get(role, frozenset()) & settings.terminators)
            and burst.target.is_for(target)
            and len(burst.text) >= settings.min_length
            and self._continues(burst, now)
            and (not burst.target.keys_act or self._is_scanner_like(burst))
        )

    def _is_scanner_like(self, burst: Burst) -> bool:
        """No person types this: enough characters at a scanner's median pace."""
        limit = self._settings.max_gap_ms * _ACTING_RHYTHM_FACTOR
        return len(burst.text) >= self._settings.min_length and (
            burst.has_scanner_rhythm(limit) or len(burst.text) == 1
        )

    def _continues(self, burst: Burst, now: Moment) -> bool:
        """A key at ``now`` still belongs to the burst (a stretch is counted when used)."""
        limit = self._settings.max_gap_ms
        gap = gap_ms(burst.last, now)
        if gap <= limit:
            return True
        if burst.target.keys_act and gap <= _ACTING_QUIET_MS:
            # Still one burst while it may yet be a scanner's (too few keys to tell, or a
            # scanner's median pace); a person's keys go on to the table a few at a time.
            median = burst.median_gap()
            return median is None or median <= limit * _ACTING_RHYTHM_FACTOR
        if (
            gap <= limit * _STRETCH_FACTOR
            and burst.stretches < _MAX_STRETCHES
            and burst.has_scanner_rhythm(limit / 2)
        ):
            burst.stretches += 1
            return True
        return False

    def _finish(
        self, burst: Burst, role: KeyRole, now: Moment, ended_by: str = "", why: str = ""
    ) -> None:
        """The burst is a scan: drop its keys and hand over its text."""
        self._burst = None
        self._quiet.stop()
        burst.target.release()
        self._swallow_releases.update(+burst.held)
        if role is KeyRole.ENTER and Terminator.CR_LF in self._settings.terminators:
            self._trailing = (frozenset({KeyRole.LF}), now, self._settings.max_gap_ms)
        ended_by = ended_by or _ROLE_SHOWN.get(role, "")
        if not burst.text:
            why = "the prefix came with no data after it"
            self._report_ready.emit(burst.report(Outcome.DISCARDED, why, ended_by))
            return
        if self._routing:
            self._scan_ready.emit(burst.text)
        if not why:
            why = "between prefix and end" if burst.prefixed else "fast keys, then a terminator"
        self._report_ready.emit(burst.report(Outcome.SCAN, why, ended_by))

    def _end_as_typing(self, burst: Burst, why: str) -> None:
        burst.target.release()
        target = burst.target.get()
        if burst.target.keys_act and (burst.prefixed or self._is_scanner_like(burst)):
            # Typing at a table is a key or two at a time; this was a scanner. Replayed, it
            # would jump the type-ahead to some other batch, and its Enter would open it.
            self._swallow_releases.update(+burst.held)
            burst.held.clear()
            self._discarded = burst
            self._report_ready.emit(burst.report(Outcome.DISCARDED, why))
            return
        self._report_ready.emit(burst.report(Outcome.TYPING, why))
        if target is None:
            return  # the widget is gone and there is nowhere to type
        for event in burst.events:
            address = shiboken6.getCppPointer(event)[0]
            self._replaying.add(address)
            try:
                QCoreApplication.sendEvent(target, event)
            finally:
                self._replaying.discard(address)

    def _late_terminated(self, role: KeyRole, target: QObject, now: Moment) -> Burst | None:
        """The discarded scanner burst this terminator ends, if it came soon enough."""
        burst, self._discarded = self._discarded, None
        if (
            burst is not None
            and not burst.prefixed
            and burst.target.is_for(target)
            and bool(_TERMINATOR_OF.get(role, frozenset()) & self._settings.terminators)
            and gap_ms(burst.last, now) <= _LATE_TERMINATOR_MS
        ):
            return burst
        return None

    def _is_trailing(self, role: KeyRole, now: Moment) -> bool:
        """The LF of a CR LF terminator, or a terminator right after the suffix."""
        if self._trailing is None:
            return False
        (roles, at, within), self._trailing = self._trailing, None
        return role in roles and gap_ms(at, now) <= within

    def _swallow(self, event: QKeyEvent) -> bool:
        self._swallow_releases[event.key()] += 1
        return True

    # the quiet timer

    def _arm_quiet(self) -> None:
        burst = self._burst
        limit = self._settings.max_gap_ms
        wait = limit + _QUIET_SLACK_MS
        if burst is not None and burst.has_scanner_rhythm(limit / 2):
            wait = limit * _STRETCH_FACTOR + _QUIET_SLACK_MS
        if burst is not None and burst.prefixed:
            wait = max(wait, _PREFIXED_QUIET_MS)
        elif burst is not None and burst.target.keys_act:
            wait = max(wait, _ACTING_QUIET_MS)
        self._quiet.start(wait)

    def _quiet_elapsed(self) -> None:
        # The timer fires late after a stall, when the rest of a scan may be waiting in the
        # queue right behind it: decide only once the queue has had its turns.
        self._settle(self._serial, _SETTLE_TURNS)

    def _settle(self, serial: int, turns: int) -> None:
        if self._burst is None or serial != self._serial:
            return  # a key came meanwhile and decided (or re-armed the timer)
        if turns > 0:
            QTimer.singleShot(0, self, lambda: self._settle(serial, turns - 1))
            return
        self.flush()


def _target(watched: QObject) -> QObject:
    """Where Qt would deliver a key event first seen at ``watched``."""
    if isinstance(watched, QWindow):
        return watched.focusObject() or watched
    return watched


__all__ = ["BurstReport", "Outcome", "ScannerWedge", "monotonic_ms"]
