"""Human wording of the time until (or since) expiry: "2 d 5 h", "expired 3 h ago"."""

from __future__ import annotations

from datetime import datetime

from dairy_desktop.domain.clock import as_utc


def _span(seconds: int) -> str:
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min" if hours < 3 and minutes else f"{hours} h"
    return f"{max(minutes, 1)} min"


def describe_time_left(expires_at: datetime, now: datetime) -> str:
    seconds = int((as_utc(expires_at) - as_utc(now)).total_seconds())
    if seconds <= 0:
        return f"expired {_span(-seconds)} ago"
    return _span(seconds)
