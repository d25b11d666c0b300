"""A report's period: plant days typed as YYYY-MM-DD (nothing else), both ends included,
bounded by the plant's midnights, which a clock change moves."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.report_period import (
    ReportPeriod,
    day_of,
    day_spans,
    parse_plant_day,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_plant_day_is_read_as_typed() -> None:
    assert parse_plant_day(" 2025-12-04 ", label="--from") == date(2025, 12, 4)


@pytest.mark.parametrize(
    "typed",
    ["20251204", "2025-W49-4", "2025-12-4", "2025-13-01", "2025-02-30", "04.12.2025", "",
     "２０２５-１２-０４", "2025-12-04T00:00"],
)  # fmt: skip
def test_anything_but_a_real_yyyy_mm_dd_is_refused_naming_the_option(typed: str) -> None:
    with pytest.raises(InvalidInput, match=r"^--to .* is not a date: write .*YYYY-MM-DD") as raised:
        parse_plant_day(typed, label="--to")
    assert raised.value.exit_code == 2
    assert raised.value.field == "--to"


@pytest.mark.parametrize("typed", ["1969-12-31", "3000-01-01", "0001-01-01"])
def test_days_outside_the_calendar_the_product_keeps_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match=r"^--from .* is out of range"):
        parse_plant_day(typed, label="--from")


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"2025-12-05 is after its last day \(to\) 2025-12-04"):
        ReportPeriod(date(2025, 12, 5), date(2025, 12, 4))
    assert ReportPeriod(date(2025, 12, 4), date(2025, 12, 4)).first == date(2025, 12, 4)


def test_the_period_runs_from_the_first_local_midnight_to_the_one_after_the_last_day() -> None:
    period = ReportPeriod(date(2025, 12, 3), date(2025, 12, 4))
    assert period.since(BERLIN) == datetime(2025, 12, 2, 23, tzinfo=UTC)
    assert period.until(BERLIN) == datetime(2025, 12, 4, 23, tzinfo=UTC)
    assert (ReportPeriod().since(BERLIN), ReportPeriod().until(BERLIN)) == (None, None)


def test_the_day_the_clocks_go_forward_is_23_hours_long() -> None:
    spring = ReportPeriod(date(2025, 3, 30), date(2025, 3, 30))
    since, until = spring.since(BERLIN), spring.until(BERLIN)
    assert since is not None
    assert until is not None
    assert until - since == timedelta(hours=23)


def test_day_spans_tile_the_days_and_a_day_with_a_clock_change_stands_alone() -> None:
    spans = day_spans(date(2025, 10, 20), date(2025, 11, 2), BERLIN)
    assert [(s.offset, s.day) for s in spans] == [
        (timedelta(hours=2), None),
        (None, date(2025, 10, 26)),
        (timedelta(hours=1), None),
    ]
    assert spans[0].starts == datetime(2025, 10, 19, 22, tzinfo=UTC)
    assert spans[-1].ends == datetime(2025, 11, 2, 23, tzinfo=UTC)
    assert all(a.ends == b.starts for a, b in itertools.pairwise(spans))
    assert spans[1].ends - spans[1].starts == timedelta(hours=25)


def test_a_span_shifted_by_its_offset_gives_each_instant_its_plant_day() -> None:
    for span in day_spans(date(2025, 3, 28), date(2025, 4, 1), BERLIN):
        moment = span.starts
        while moment < span.ends:
            expected = day_of(moment, BERLIN)
            if span.offset is None:
                assert span.day == expected
            else:
                assert (moment + span.offset).date() == expected
            moment += timedelta(minutes=30)


def test_a_zone_without_clock_changes_is_one_span() -> None:
    spans = day_spans(date(2025, 1, 1), date(2025, 12, 31), ZoneInfo("Asia/Tokyo"))
    assert [(s.offset, s.day) for s in spans] == [(timedelta(hours=9), None)]
