"""When reserved milk may not be there for its order's day: the batch expires before that
plant day is over, or it can no longer be used at all (held, recalled, rejected, deleted)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.status import BatchStatus


def end_of_plant_day(day: date, zone: tzinfo) -> datetime:
    """The instant (UTC) plant day `day` ends: the next local midnight, so a day with a
    daylight-saving change is 23 or 25 hours long."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)


def lasts_the_day(expires_at: datetime, day: date, zone: tzinfo) -> bool:
    """Whether milk expiring at `expires_at` is still in date when plant day `day` ends."""
    return expires_at >= end_of_plant_day(day, zone)


def risk_of(
    expires_at: datetime, status: BatchStatus, planned_for: date, zone: tzinfo
) -> str | None:
    """Why a reservation for `planned_for` is at risk, in words that complete "the batch
    ..." ("is on hold", "has expired", "expires ... before ... is over"); None when it is
    not. A status that allows no consuming says it first."""
    blocked = why_not_consumable(status)
    if blocked is not None:
        return blocked
    if not lasts_the_day(expires_at, planned_for, zone):
        local = expires_at.astimezone(zone)
        return f"expires {local:%Y-%m-%d %H:%M} ({zone}), before {planned_for} is over"
    return None
