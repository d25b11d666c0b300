"""The PC–server clock offset as plain arithmetic and words (no database needed).

Kept apart from services/clock_offset.py, which measures it: the window shows the words
and imports this before its first paint, when the database layer must not load yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from dairy_desktop.domain.clock import as_utc

# Clocks this close are "the same": below it, round-trip noise and ordinary drift.
TOLERANCE = timedelta(seconds=60)


def offset_between(before: datetime, server: datetime, after: datetime) -> timedelta:
    """Server time minus PC time, taking the server's reading as made halfway through the
    round trip that the PC timed from `before` to `after`."""
    before, after = as_utc(before), as_utc(after)
    return as_utc(server) - (before + (after - before) / 2)


def describe_offset(offset: timedelta) -> str | None:
    """'this PC's clock is 2 h 0 min behind the database server', or None within a minute."""
    if abs(offset) <= TOLERANCE:
        return None
    direction = "behind" if offset > timedelta(0) else "ahead of"
    minutes = round(abs(offset).total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    amount = f"{hours} h {minutes} min" if hours else f"{minutes} min"
    return f"this PC's clock is {amount} {direction} the database server"
