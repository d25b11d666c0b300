"""A report's period: whole plant days, first and last included, in the plant's time zone.

Every stored instant is UTC; a plant day is the local calendar day, 23 or 25 hours long when
the clocks change, so its bounds come from the zone, never from adding 24 hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

# The calendar the product accepts as typed (domain.clock's EARLIEST..LATEST).
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 30)
# Exactly YYYY-MM-DD in ASCII digits: date.fromisoformat would also take 20251204 or a week
# date, which a script may have meant differently.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_plant_day(text: str, *, label: str) -> date:
    """`text` as a calendar day, or InvalidInput naming `label` (e.g. '--from')."""
    raw = text.strip()
    day = None
    if _DAY.fullmatch(raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            day = None
    if day is None:
        raise InvalidInput(
            f"{label} {quoted(raw)} is not a date: write the plant day as YYYY-MM-DD, "
            "e.g. 2025-12-04.",
            field=label,
        )
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InvalidInput(
            f"{label} {raw} is out of range: give a day between {FIRST_DAY} and {LAST_DAY}.",
            field=label,
        )
    return day


def day_start(day: date, zone: tzinfo) -> datetime:
    """The UTC instant the plant's clock reads midnight starting `day`."""
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def day_of(moment: datetime, zone: tzinfo) -> date:
    """The plant day `moment` falls on."""
    return moment.astimezone(zone).date()


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """Plant days `first`..`last`, both included; None at either end: unbounded."""

    first: date | None = None
    last: date | None = None

    def __post_init__(self) -> None:
        if self.first is not None and self.last is not None and self.first > self.last:
            raise InvalidInput(
                f"The period's first day (from) {self.first} is after its last day (to) "
                f"{self.last}: it would hold no day. Give a first day on or before the last "
                "(both are included).",
                field="from",
            )

    def since(self, zone: tzinfo) -> datetime | None:
        """The first instant in the period (inclusive), None if unbounded."""
        return None if self.first is None else day_start(self.first, zone)

    def until(self, zone: tzinfo) -> datetime | None:
        """The first instant after the period (exclusive), None if unbounded."""
        return None if self.last is None else day_start(self.last + timedelta(days=1), zone)


@dataclass(frozen=True, slots=True)
class DaySpan:
    """Whole plant days from `starts` (included) to `ends` (not), over which the plant's
    clock reads UTC + `offset` throughout, so an instant's plant day is the UTC date of the
    instant plus `offset`. A day in which the clocks change is a span by itself, with `day`
    set instead: every instant in it falls on that day."""

    starts: datetime
    ends: datetime
    offset: timedelta | None
    day: date | None = None


def day_spans(first: date, last: date, zone: tzinfo) -> list[DaySpan]:
    """Plant days `first`..`last` (both included) as consecutive spans, in order, with no
    gap: one per stretch between two clock changes, one per day with a change in it."""
    spans: list[DaySpan] = []
    day, starts = first, day_start(first, zone)
    while day <= last:
        ends = day_start(day + timedelta(days=1), zone)
        offset = starts.astimezone(zone).utcoffset()
        if offset != (ends - timedelta(microseconds=1)).astimezone(zone).utcoffset():
            spans.append(DaySpan(starts, ends, None, day))
        elif spans and spans[-1].offset == offset:
            spans[-1] = DaySpan(spans[-1].starts, ends, offset)
        else:
            spans.append(DaySpan(starts, ends, offset))
        day, starts = day + timedelta(days=1), ends
    return spans
