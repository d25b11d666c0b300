"""The PC–server clock offset: the round trip halved, and how the window words it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.services.clock_offset import describe_offset, measure_offset, offset_between
from tests.support.fake_database import FakeDatabase

T0 = datetime(2025, 12, 4, 6, 0, tzinfo=UTC)


def test_the_server_reading_is_taken_as_made_halfway_through_the_round_trip() -> None:
    # The PC asked at 06:00:00 and had the answer at 06:00:02; the server said 08:00:01.
    server = T0 + timedelta(hours=2, seconds=1)
    assert offset_between(T0, server, T0 + timedelta(seconds=2)) == timedelta(hours=2)


def test_a_server_behind_the_pc_gives_a_negative_offset() -> None:
    server = T0 - timedelta(minutes=5)
    assert offset_between(T0, server, T0) == -timedelta(minutes=5)


def test_where_the_pc_is_the_server_the_offset_is_zero() -> None:
    readings = iter([T0, T0 + timedelta(hours=3)])
    assert measure_offset(FakeDatabase(), clock=lambda: next(readings)) == timedelta(0)


def test_a_pc_two_hours_behind_is_told_so() -> None:
    assert describe_offset(timedelta(hours=2)) == (
        "this PC's clock is 2 h 0 min behind the database server"
    )


def test_a_pc_ahead_is_told_so_in_minutes() -> None:
    assert describe_offset(-timedelta(minutes=3, seconds=20)) == (
        "this PC's clock is 3 min ahead of the database server"
    )


def test_hours_and_minutes_are_both_named() -> None:
    assert describe_offset(-timedelta(hours=1, minutes=30)) == (
        "this PC's clock is 1 h 30 min ahead of the database server"
    )


def test_a_minute_or_less_is_not_worth_a_word() -> None:
    assert describe_offset(timedelta(0)) is None
    assert describe_offset(timedelta(seconds=60)) is None
    assert describe_offset(-timedelta(seconds=60)) is None
    assert describe_offset(timedelta(seconds=61)) is not None
