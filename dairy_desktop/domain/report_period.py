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
class PlantDay:
    """One plant day and its UTC bounds: `starts` included, `ends` (the next midnight) not."""

    day: date
    starts: datetime
    ends: datetime


def plant_days(first: date, last: date, zone: tzinfo) -> list[PlantDay]:
    """Every plant day from `first` to `last`, both included."""
    count = (last - first).days + 1
    days = [first + timedelta(days=n) for n in range(count + 1)]
    starts = [day_start(day, zone) for day in days]
    return [PlantDay(days[n], starts[n], starts[n + 1]) for n in range(count)]
