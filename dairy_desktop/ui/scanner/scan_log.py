"""The scan log support staff open: the last few hundred scans, accepted or not."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.barcodes.visible import visible_text

DEFAULT_CAPACITY = 500


@dataclass(frozen=True, slots=True)
class ScanLogEntry:
    at: datetime
    raw_visible: str
    """The scanned text with control characters shown (``<GS>``, ``<CR>``, ``\\x07``)."""
    outcome: str


class ScanLog:
    """In-memory ring buffer: when full, the oldest entry makes room for the newest."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}.")
        self._entries: deque[ScanLogEntry] = deque(maxlen=capacity)

    @property
    def capacity(self) -> int:
        return self._entries.maxlen or 0

    def add(self, raw: str, outcome: str, *, at: datetime) -> ScanLogEntry:
        """Record one scan; ``raw`` is stored made visible, never as sent."""
        entry = ScanLogEntry(at=at, raw_visible=visible_text(raw), outcome=outcome)
        self._entries.append(entry)
        return entry

    def drop_oldest(self) -> ScanLogEntry | None:
        return self._entries.popleft() if self._entries else None

    def entries(self) -> tuple[ScanLogEntry, ...]:
        """Oldest first."""
        return tuple(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def is_full(self) -> bool:
        return len(self._entries) == self.capacity

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[ScanLogEntry]:
        return iter(self._entries)

    def __getitem__(self, index: int) -> ScanLogEntry:
        return self._entries[index]
