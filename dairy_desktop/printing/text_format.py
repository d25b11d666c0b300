"""Text for printed sheets and labels: local times, litres, fat %. Pure, no Qt."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from dairy_desktop.domain.clock import as_utc
from dairy_desktop.domain.intake import format_temperature

_MILLI = Decimal("0.001")
_CENTI = Decimal("0.01")
NO_VALUE = "—"


def local_time_text(moment: datetime, zone: tzinfo) -> str:
    """'2025-12-04 06:30' in the plant's zone.

    In the hour a DST change repeats (e.g. 02:30 twice on 2025-10-26 in Berlin) the zone
    abbreviation is added, so the two 02:30s on one sheet can be told apart.
    """
    local = as_utc(moment).astimezone(zone)
    text = local.strftime("%Y-%m-%d %H:%M")
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() != local.utcoffset():
        text += f" {local.tzname()}"
    return text


def sheet_date_text(day: date) -> str:
    """'Thursday 2025-12-04': the weekday helps on the floor, ISO avoids d/m vs m/d mix-ups."""
    return f"{day.strftime('%A')} {day.isoformat()}"


def liters_text(liters: Decimal) -> str:
    """'1,234.500 L': exact, three places, thousands grouped for reading at a glance."""
    return f"{liters.quantize(_MILLI):,f} L"


def fat_text(fat: Decimal | None) -> str:
    return NO_VALUE if fat is None else f"{fat.quantize(_CENTI):f} %"


def temperature_text(deci: int) -> str:
    """Tenths of °C as printed: '4.5 °C' (the sheet, like the CLI, writes '.' decimals)."""
    return f"{format_temperature(deci)} °C"


def batches_text(count: int) -> str:
    return f"{count} batch" if count == 1 else f"{count} batches"


def two_lines(stamp: str) -> tuple[str, str]:
    """'2025-12-04 06:30' -> ('2025-12-04', '06:30'); a zone abbreviation stays with the time."""
    day, _, clock = stamp.partition(" ")
    return day, clock


def time_left_lines(text: str) -> tuple[str, str]:
    """'expired 3 h ago' -> ('expired', '3 h ago'): the word first, so it reads at a glance."""
    if text.startswith("expired "):
        return "expired", text.removeprefix("expired ")
    return text, ""
