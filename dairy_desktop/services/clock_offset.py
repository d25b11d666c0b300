"""How far this PC's clock is from the database server's.

On PostgreSQL the server's clock decides expiry and every time written, so what the window
and the CLI show must be computed on that clock too: the PC's time plus this offset. On
SQLite the PC is the server and the offset is zero.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.clock_offset import TOLERANCE, describe_offset, offset_between
from dairy_desktop.services.ports import Database

__all__ = ["TOLERANCE", "Clock", "describe_offset", "measure_offset", "offset_between"]

Clock = Callable[[], datetime]


def measure_offset(database: Database, *, clock: Clock = utc_now) -> timedelta:
    """Server now − PC now (`clock` is the PC's); zero where the PC is the server."""
    before = clock()
    server = database.server_now()
    if server is None:
        return timedelta(0)
    return offset_between(before, server, clock())
