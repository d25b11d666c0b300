"""UTC helpers: every instant inside the product is a timezone-aware UTC datetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from dairy_desktop.domain.errors import InvalidInput


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to UTC; a naive one is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: every instant must carry its offset")
    return moment.astimezone(UTC)


def parse_instant(text: str, local_zone: tzinfo) -> datetime:
    """Parse ISO 8601 text; without an offset it is taken as the plant's local time."""
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"Time {raw!r} is not ISO 8601; use e.g. 2025-12-04T06:30 or 2025-12-04T05:30:00Z.",
            field="received",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone)
    return moment.astimezone(UTC)


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
