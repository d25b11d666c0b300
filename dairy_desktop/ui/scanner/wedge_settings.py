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


@dataclass(frozen=True, slots=True)
class WedgeSettings:
    """How a scan is told apart from typing.

    ``max_gap_ms``: the longest pause between two keys of one scan (scanners: 2-10 ms; a
    fast typist rarely sustains under 60 ms). ``min_length``: fewer data characters than
    this before the terminator is typing. ``terminators``: keys that end a scan.
    """

    max_gap_ms: int = 30
    min_length: int = 6
    terminators: frozenset[Terminator] = field(
        default_factory=lambda: frozenset({Terminator.ENTER})
    )

    def __post_init__(self) -> None:
        if not 1 <= self.max_gap_ms <= 1000:
            raise ValueError(f"max_gap_ms must be 1..1000 ms, got {self.max_gap_ms}.")
        if self.min_length < 1:
            raise ValueError(f"min_length must be at least 1, got {self.min_length}.")
        if not self.terminators:
            raise ValueError("At least one terminator is needed to end a scan.")
        # Accept any iterable of Terminator values (e.g. a list read from settings).
        object.__setattr__(self, "terminators", frozenset(Terminator(t) for t in self.terminators))
