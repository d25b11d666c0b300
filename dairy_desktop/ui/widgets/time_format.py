"""Local-time text for the screen: UTC inside, the plant's local time at the edge."""

from __future__ import annotations

from datetime import datetime, tzinfo

_zone: tzinfo | None = None


def set_display_zone(zone: tzinfo) -> None:
    global _zone
    _zone = zone


def display_zone() -> tzinfo | None:
    return _zone


def local_time_text(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(_zone) if _zone else moment.astimezone()
    return f"{local:%Y-%m-%d %H:%M:%S}" if seconds else f"{local:%Y-%m-%d %H:%M}"
