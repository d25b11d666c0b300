"""What the wedge holds while it decides, and what it reports once it has decided."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

import shiboken6
from PySide6.QtCore import QMetaObject, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox

from dairy_desktop.barcodes.visible import visible_text


@dataclass(frozen=True, slots=True)
class Moment:
    """When a key happened: the window system's timestamp (ms, 0 when it gave none) and
    when the GUI thread handled it (monotonic ms). Only the first says how far apart keys
    really were; the second stretches whenever the GUI thread is busy."""

    stamp: int
    seen: float


def gap_ms(earlier: Moment, later: Moment) -> float:
    """Time between two keys: by their timestamps when both have one, else as handled."""
    if earlier.stamp and later.stamp and later.stamp >= earlier.stamp:
        return float(later.stamp - earlier.stamp)
    return later.seen - earlier.seen


class Outcome(Enum):
    SCAN = "scan"
    TYPING = "typing"
    """Replayed, in order, to the widget it was meant for."""
    DISCARDED = "discarded"
    """Scanner-fast keys that did not end as a scan, meant for a widget where stray
    characters act (a table's type-ahead, a button): dropped rather than let act."""


@dataclass(frozen=True, slots=True)
class KeyTiming:
    text: str
    """The key's characters, control characters made visible."""
    gap_ms: float | None
    """Since the key before it in the burst (the prefix counts); None for the first."""
    from_timestamps: bool
    """The gap was measured between window-system timestamps, not handling times."""


@dataclass(frozen=True, slots=True)
class BurstReport:
    """One burst of held keys, as decided: for the scan log and the scanner test page."""

    text: str
    outcome: Outcome
    why: str
    keys: tuple[KeyTiming, ...]
    prefixed: bool = False
    ended_by: str = ""
    """The key that ended it (``<CR>``, ``F12``), empty when a pause or a timer did."""
    started_stamp: int = 0
    """The window-system timestamp of its first key (or prefix), 0 when there was none."""


class TargetRef:
    """The object held keys are for, kept by its C++ address.

    PySide hands an event filter a fresh Python wrapper for objects of Qt-private classes
    (QFileDialog's file name field, a completer's popup) and invalidates it after the call:
    holding on to that wrapper lost every key typed into a Save dialog. The address stays
    the same for the object's life, and ``destroyed`` says when that life ends.
    """

    def __init__(self, target: QObject) -> None:
        self.address: int = shiboken6.getCppPointer(target)[0]
        self.alive = True
        self.keys_act = acts_on_keys(target)
        self._connection: QMetaObject.Connection | None = target.destroyed.connect(self._gone)

    def _gone(self) -> None:
        self.alive = False

    def is_for(self, target: QObject) -> bool:
        """Same object (it may be a different Python wrapper of it)."""
        return bool(self.alive and shiboken6.getCppPointer(target)[0] == self.address)

    def get(self) -> QObject | None:
        if not self.alive:
            return None
        found = shiboken6.wrapInstance(self.address, QObject)
        return found if isinstance(found, QObject) else None

    def release(self) -> None:
        """Stop watching for deletion (the address is still compared, never followed)."""
        connection, self._connection = self._connection, None
        if connection is not None and self.alive:
            QObject.disconnect(connection)


def acts_on_keys(target: QObject) -> bool:
    """Stray characters do something here: a view's type-ahead jumps, a button clicks."""
    if isinstance(target, QComboBox):
        return not target.isEditable()
    return isinstance(target, QAbstractItemView | QAbstractButton)


@dataclass
class Burst:
    """Key events held back while it is not yet known whether they are a scan."""

    target: TargetRef
    first: Moment
    last: Moment
    prefixed: bool = False
    events: list[QKeyEvent] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    timings: list[KeyTiming] = field(default_factory=list)
    held: Counter[int] = field(default_factory=Counter)
    """Keys pressed in this burst whose release has not come yet."""
    lead_gap: float | None = None
    """Since the last key of the burst before, when this one began because that gap was
    too long (shown on the test page: typing comes one key at a time)."""
    stretches: int = 0
    """Gaps longer than the limit let through because of the burst's scanner rhythm."""

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def add(self, event: QKeyEvent, chars: str, at: Moment) -> None:
        gap = gap_ms(self.last, at) if self.chars or self.prefixed else self.lead_gap
        both_stamped = bool(self.last.stamp and at.stamp)
        self.events.append(QKeyEvent(event))  # a copy: Qt destroys the original
        self.chars.append(chars)
        self.timings.append(KeyTiming(visible_text(chars), gap, both_stamped))
        self.held[event.key()] += 1
        self.last = at

    def median_gap(self) -> float | None:
        """Between this burst's own keys (the prefix counts, the lead gap does not)."""
        own = self.timings if self.prefixed else self.timings[1:]
        gaps = [t.gap_ms for t in own if t.gap_ms is not None]
        return statistics.median(gaps) if len(gaps) >= 2 else None

    def has_scanner_rhythm(self, max_gap_ms: float) -> bool:
        """Its keys so far came at a scanner's pace: the median gap is under ``max_gap_ms``."""
        median = self.median_gap()
        return median is not None and median <= max_gap_ms

    def report(self, outcome: Outcome, why: str, ended_by: str = "") -> BurstReport:
        return BurstReport(
            self.text,
            outcome,
            why,
            tuple(self.timings),
            self.prefixed,
            ended_by,
            started_stamp=self.first.stamp,
        )
