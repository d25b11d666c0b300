"""Plant settings: shared by every PC, so they live in the database."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN, compile_code_pattern
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.status import DEFAULT_NEAR_EXPIRY_DAYS
from dairy_desktop.domain.whole_number import parse_whole_number

MAX_NEAR_EXPIRY_DAYS = 30


@dataclass(frozen=True, slots=True)
class PlantSettings:
    plant_name: str = "Dairy plant"
    code_pattern: str = DEFAULT_CODE_PATTERN
    near_expiry_days: int = DEFAULT_NEAR_EXPIRY_DAYS
    time_zone: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def validate_near_expiry_days(days: int | str) -> int:
    return parse_whole_number(
        days, label="Near-expiry days", field="days", minimum=0, maximum=MAX_NEAR_EXPIRY_DAYS
    )


def validate_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Time zone {name!r} is unknown; use an IANA name such as Europe/Berlin.",
            field="time_zone",
        ) from None
    return name


def validated_settings(settings: PlantSettings) -> PlantSettings:
    if not settings.plant_name.strip():
        raise InvalidInput("Plant name is missing.", field="plant_name")
    compile_code_pattern(settings.code_pattern)
    validate_near_expiry_days(settings.near_expiry_days)
    validate_time_zone(settings.time_zone)
    return settings
