"""UTC helpers: every instant inside the product is a timezone-aware UTC datetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

# The instants the product accepts as typed: before 1970 some platforms' time functions
# fail, and nothing in a dairy's stock is that old; the upper bound leaves room for
# expiry and calendar arithmetic far below datetime's year 9999.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to UTC; a naive one is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: every instant must carry its offset")
    return moment.astimezone(UTC)


def parse_instant(text: str, local_zone: tzinfo) -> datetime:
    """Parse ISO 8601 text; without an offset it is taken as the plant's local time.

    Refused: anything but ASCII, instants outside EARLIEST..LATEST, and local times the
    plant's clock either never showed (the hour skipped when daylight saving begins) or
    showed twice (the hour repeated when it ends) unless an offset says which.
    """
    raw = text.strip()
    try:
        if not raw.isascii():
            raise ValueError("not ASCII")
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"Time {quoted(raw)} is not ISO 8601; use e.g. 2025-12-04T06:30 or "
            "2025-12-04T05:30:00Z.",
            field="received",
        ) from None
    if moment.tzinfo is None:
        moment = _local_instant(moment, local_zone, raw)
    try:
        instant = moment.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        instant = None
    if instant is None or not EARLIEST <= instant <= LATEST:
        raise InvalidInput(
            f"Time {quoted(raw)} is out of range: give a time between "
            f"{EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}.",
            field="received",
        )
    return instant


def _local_instant(wall: datetime, zone: tzinfo, raw: str) -> datetime:
    """`wall` read on the plant's clock, refusing a time it skipped or showed twice."""
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    try:
        shown_again = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:  # at the very ends of the calendar: the range check refuses it
        return first
    earlier, later = sorted((first.utcoffset(), second.utcoffset()), key=_seconds)
    if shown_again != wall:
        start, end = _gap(wall, zone)
        raise InvalidInput(
            f"Time {quoted(raw)} does not exist in {zone}: the clocks went forward from "
            f"{start:%H:%M} to {end:%H:%M} on {wall:%Y-%m-%d}. Enter the time again, or give "
            "it with its offset (e.g. +00:00 for UTC).",
            field="received",
        )
    raise InvalidInput(
        f"Time {quoted(raw)} happens twice in {zone} (the clocks went back on "
        f"{wall:%Y-%m-%d}): give its offset, {wall:%Y-%m-%dT%H:%M}{_offset(later)} for the "
        f"first or {wall:%Y-%m-%dT%H:%M}{_offset(earlier)} for the second.",
        field="received",
    )


def _gap(wall: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """The local clock times on each side of the skipped stretch that contains `wall`."""
    offsets = sorted(
        (o for o in (wall.replace(tzinfo=zone, fold=f).utcoffset() for f in (0, 1)) if o),
        key=_seconds,
    )
    low = wall - offsets[-1] if offsets else wall
    high = wall - offsets[0] if offsets else wall
    # The change happens at one instant between `low` and `high` (UTC); find it to the minute.
    low_utc, high_utc = low.replace(tzinfo=UTC), high.replace(tzinfo=UTC)
    before = low_utc.astimezone(zone).utcoffset()
    while high_utc - low_utc > timedelta(minutes=1):
        middle = low_utc + (high_utc - low_utc) / 2
        if middle.astimezone(zone).utcoffset() == before:
            low_utc = middle
        else:
            high_utc = middle
    change = high_utc.replace(second=0, microsecond=0)
    start = (change - timedelta(microseconds=1)).astimezone(zone)
    end = change.astimezone(zone)
    return start + timedelta(microseconds=1), end


def _seconds(offset: timedelta | None) -> float:
    return offset.total_seconds() if offset else 0.0


def _offset(offset: timedelta | None) -> str:
    minutes = int(_seconds(offset)) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, the JSON contract's timestamp form."""
    return as_utc(moment).isoformat().replace("+00:00", "Z")


def start_of_local_day(moment: datetime, zone: tzinfo, plus_days: int = 0) -> datetime:
    """Midnight (local) starting the day that contains `moment`, plus whole days, in UTC.

    Done on the local calendar so that a day with a DST change is 23 or 25 hours long.
    """
    local = as_utc(moment).astimezone(zone)
    day = local.date() + timedelta(days=plus_days)
    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
    return midnight.astimezone(UTC)
