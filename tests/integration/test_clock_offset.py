"""The offset measured against a real database: the server's clock on PostgreSQL, none on
SQLite (the PC is the server)."""

from __future__ import annotations

from datetime import timedelta

from dairy_desktop.db.database import Database
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.services.clock_offset import describe_offset, measure_offset

BEHIND = timedelta(hours=2)


def test_a_pc_clock_two_hours_behind_measures_two_hours(database: Database) -> None:
    offset = measure_offset(database, clock=lambda: utc_now() - BEHIND)
    if database.kind == "sqlite":
        assert offset == timedelta(0)
        return
    # The throwaway server runs on this machine: its clock is the real one.
    assert abs(offset - BEHIND) < timedelta(seconds=1)
    assert describe_offset(offset) == "this PC's clock is 2 h 0 min behind the database server"


def test_a_pc_on_time_measures_nothing_worth_saying(database: Database) -> None:
    offset = measure_offset(database)
    assert abs(offset) < timedelta(seconds=1)
    assert describe_offset(offset) is None
