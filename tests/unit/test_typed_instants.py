"""Times typed by a person: ISO 8601, within range, and never a local time that the
plant's clock skipped or showed twice unless an offset says which."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.domain.clock import parse_instant
from dairy_desktop.domain.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-12-04T06:30", datetime(2025, 12, 4, 5, 30, tzinfo=UTC)),
        ("2025-12-04T05:30:00Z", datetime(2025, 12, 4, 5, 30, tzinfo=UTC)),
        ("2025-03-30T01:59", datetime(2025, 3, 30, 0, 59, tzinfo=UTC)),
        ("2025-03-30T03:00", datetime(2025, 3, 30, 1, 0, tzinfo=UTC)),
        ("2025-10-26T02:30+02:00", datetime(2025, 10, 26, 0, 30, tzinfo=UTC)),
        ("2025-10-26T02:30+01:00", datetime(2025, 10, 26, 1, 30, tzinfo=UTC)),
        ("2025-10-26T03:00", datetime(2025, 10, 26, 2, 0, tzinfo=UTC)),
    ],
)
def test_clear_times_are_read_as_the_instant_they_name(text: str, expected: datetime) -> None:
    assert parse_instant(text, BERLIN) == expected


@pytest.mark.parametrize("text", ["2025-03-30T02:00", "2025-03-30T02:30", "2025-03-30T02:59"])
def test_a_local_time_in_the_spring_gap_is_refused_naming_the_gap(text: str) -> None:
    with pytest.raises(InvalidInput, match="does not exist") as refused:
        parse_instant(text, BERLIN)
    assert "from 02:00 to 03:00 on 2025-03-30" in str(refused.value)


def test_a_half_hour_gap_is_named_exactly() -> None:
    with pytest.raises(InvalidInput, match="from 02:00 to 02:30"):
        parse_instant("2024-10-06T02:15", ZoneInfo("Australia/Lord_Howe"))


def test_a_local_time_shown_twice_is_refused_offering_both_offsets() -> None:
    with pytest.raises(InvalidInput, match="happens twice") as refused:
        parse_instant("2025-10-26T02:30", BERLIN)
    message = str(refused.value)
    assert "2025-10-26T02:30+02:00 for the first" in message
    assert "2025-10-26T02:30+01:00 for the second" in message


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
        "1900-01-01T00:00:00Z",
        "3000-01-01T00:00:00Z",
    ],
)
def test_out_of_range_times_are_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        parse_instant(text, BERLIN)


@pytest.mark.parametrize("text", ["٢٠٢٥-12-04T06:30", "2025-12-04T06:30\udcff", "tomorrow"])
def test_anything_but_ascii_iso_8601_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="not ISO 8601"):
        parse_instant(text, BERLIN)


def test_a_long_value_is_quoted_short() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_instant("x" * 10_000, BERLIN)
    assert "x" * 41 not in str(refused.value)
