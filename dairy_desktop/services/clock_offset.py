"""How far this PC's clock is from the database server's.

On PostgreSQL the server's clock decides expiry and every time written, so what the window
and the CLI show must be computed on that clock too: the PC's time plus this offset. On
SQLite the PC is the server and the offset is zero.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from dairy_desktop.db.database import Database as SqlDatabase
from dairy_desktop.db.server_clock import server_now
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.services.ports import Database

# Clocks this close are "the same": below it, round-trip noise and ordinary drift.
TOLERANCE = timedelta(seconds=60)

Clock = Callable[[], datetime]


def offset_between(before: datetime, server: datetime, after: datetime) -> timedelta:
    """Server time minus PC time, taking the server's reading as made halfway through the
    round trip that the PC timed from `before` to `after`."""
    before, after = as_utc(before), as_utc(after)
    return as_utc(server) - (before + (after - before) / 2)


def measure_offset(database: Database, *, clock: Clock = utc_now) -> timedelta:
    """Server now − PC now (`clock` is the PC's); zero where the PC is the server."""
    if database.kind != "postgresql" or not isinstance(database, SqlDatabase):
        return timedelta(0)
    before = clock()
    server = server_now(database.engine)
    return offset_between(before, server, clock())


def describe_offset(offset: timedelta) -> str | None:
    """'this PC's clock is 2 h 0 min behind the database server', or None within a minute."""
    if abs(offset) <= TOLERANCE:
        return None
    direction = "behind" if offset > timedelta(0) else "ahead of"
    minutes = round(abs(offset).total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    amount = f"{hours} h {minutes} min" if hours else f"{minutes} min"
    return f"this PC's clock is {amount} {direction} the database server"
