"""Settings of the keyboard-wedge capture (pure data, so a settings registry needs no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Terminator(StrEnum):
    """What a scanner sends after the data (configured on the scanner itself)."""

    ENTER = "enter"
    TAB = "tab"
    CR_LF = "cr_lf"
    """Enter followed by a line feed; the line feed is swallowed too."""
    LF = "lf"
    """A line feed alone (Ctrl+J, or a key whose text is a line feed)."""


class Marker(StrEnum):
    """A key a scanner can be set to send before (prefix) or after (suffix) the data.

    None of them is ever part of a barcode, and a person rarely presses them mid-word.
    """

    F9 = "f9"
    F10 = "f10"
    F11 = "f11"
    F12 = "f12"
    STX = "stx"
    """ASCII start of text, 0x02; a wedge types it as Ctrl+B."""
    ETX = "etx"
    """ASCII end of text, 0x03; a wedge types it as Ctrl+C."""

    @property
    def label(self) -> str:
        return {Marker.STX: "STX (Ctrl+B)", Marker.ETX: "ETX (Ctrl+C)"}.get(self, self.name)


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    """How a scan is told apart from typing.

    ``max_gap_ms``: the longest pause between two keys of one scan (scanners: 2-10 ms; a
    fast typist rarely sustains under 60 ms), measured between the key events' own
    timestamps. ``min_length``: fewer data characters than this before the terminator is
    typing. ``terminators``: keys that end a scan.

    ``prefix``: when set, a scan is whatever comes between this key and a terminator (or
    ``suffix``), however slowly it arrives, and every key outside such a scan is typing that
    goes straight through. ``suffix`` ends a scan like a terminator does; a terminator sent
    right after it is swallowed too.
    """

    max_gap_ms: int = 30
    min_length: int = 6
    terminators: frozenset[Terminator] = field(
        default_factory=lambda: frozenset({Terminator.ENTER})
    )
    prefix: Marker | None = None
    suffix: Marker | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.max_gap_ms <= 1000:
            raise ValueError(f"max_gap_ms must be 1..1000 ms, got {self.max_gap_ms}.")
        if self.min_length < 1:
            raise ValueError(f"min_length must be at least 1, got {self.min_length}.")
        if not self.terminators and self.suffix is None:
            raise ValueError("At least one terminator (or a suffix) is needed to end a scan.")
        # Accept any iterable of Terminator values (e.g. a list read from settings).
        object.__setattr__(self, "terminators", frozenset(Terminator(t) for t in self.terminators))
        for name in ("prefix", "suffix"):
            value = getattr(self, name)
            object.__setattr__(self, name, None if value in (None, "") else Marker(value))
        if self.prefix is not None and self.prefix == self.suffix:
            raise ValueError(f"Prefix and suffix must differ, both are {self.prefix.label}.")
