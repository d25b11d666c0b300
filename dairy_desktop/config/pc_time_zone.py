"""The PC's own IANA time zone, the default plant time zone."""

from __future__ import annotations

import functools
import os


@functools.cache
def pc_time_zone() -> str:
    override = os.environ.get("DAIRY_DESKTOP_TIME_ZONE")
    if override:
        return override
    try:
        import tzlocal  # lazily: ~13 ms at start-up, needed only without an override

        name = tzlocal.get_localzone_name()
    except Exception:  # no zone configured on the PC: UTC is the honest fallback
        return "UTC"
    return name or "UTC"
