"""Plant settings: shared by every PC, so they live in the database."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN, compile_code_pattern
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.intake import (
    DEFAULT_TEMPERATURE_LIMIT_DECI,
    MAX_SUPPLIER,
    MAX_TEMPERATURE_DECI,
    MIN_TEMPERATURE_DECI,
)
from dairy_desktop.domain.qa import DEFAULT_REQUIRED_TESTS, parse_required_tests
from dairy_desktop.domain.status import DEFAULT_NEAR_EXPIRY_DAYS
from dairy_desktop.domain.text import require_storable_text
from dairy_desktop.domain.whole_number import parse_whole_number

MAX_NEAR_EXPIRY_DAYS = 30
DEFAULT_PRODUCT_DESCRIPTION = "raw milk"
MAX_PRODUCT_DESCRIPTION = 128


@dataclass(frozen=True, slots=True)
class PlantSettings:
    plant_name: str = "Dairy plant"
    code_pattern: str = DEFAULT_CODE_PATTERN
    near_expiry_days: int = DEFAULT_NEAR_EXPIRY_DAYS
    time_zone: str = "UTC"
    # The QA release gate. The stored default comes from migration 0005: on for a new
    # database, off for one that already held batches (its behaviour must not change
    # overnight). A missing row reads as on: the safe side.
    qa_release_required: bool = True
    # Test names, comma-separated; passing all of them releases a batch (domain.qa).
    qa_required_tests: str = DEFAULT_REQUIRED_TESTS
    # A receipt temperature above this (tenths of °C) is flagged: 7.0 °C is the PMO's 45 °F.
    temperature_limit_deci: int = DEFAULT_TEMPERATURE_LIMIT_DECI
    # The register dialog's supplier choices, one per line; free text is accepted too.
    suppliers: str = ""
    # What the plant receives, as the recall spreadsheet's "Product description" names it
    # (FSMA 204 asks for one per traceability lot).
    product_description: str = DEFAULT_PRODUCT_DESCRIPTION

    @property
    def required_tests(self) -> tuple[str, ...]:
        return parse_required_tests(self.qa_required_tests)

    @property
    def supplier_list(self) -> tuple[str, ...]:
        return tuple(name.strip() for name in self.suppliers.splitlines() if name.strip())

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def validate_near_expiry_days(days: int | str) -> int:
    return parse_whole_number(
        days, label="Near-expiry days", field="days", minimum=0, maximum=MAX_NEAR_EXPIRY_DAYS
    )


def validate_temperature_limit(deci: int) -> int:
    if not MIN_TEMPERATURE_DECI <= deci <= MAX_TEMPERATURE_DECI:
        raise InvalidInput(
            "The temperature limit must be between -5.0 and 40.0 °C.", field="temperature_limit"
        )
    return deci


def validate_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Time zone {name!r} is unknown; use an IANA name such as Europe/Berlin.",
            field="time_zone",
        ) from None
    return name


def validate_product_description(text: str) -> str:
    """Printable text, not blank, at most MAX_PRODUCT_DESCRIPTION characters."""
    description = require_storable_text(
        text, field="product_description", label="product description"
    ).strip()
    if not description:
        raise InvalidInput(
            f"Product description is missing: the recall list names the milk with it "
            f"(e.g. {DEFAULT_PRODUCT_DESCRIPTION}).",
            field="product_description",
        )
    if len(description) > MAX_PRODUCT_DESCRIPTION:
        raise InvalidInput(
            f"Product description is too long ({len(description)} characters; at most "
            f"{MAX_PRODUCT_DESCRIPTION}).",
            field="product_description",
        )
    return description


def validated_settings(settings: PlantSettings) -> PlantSettings:
    if not settings.plant_name.strip():
        raise InvalidInput("Plant name is missing.", field="plant_name")
    compile_code_pattern(settings.code_pattern)
    validate_near_expiry_days(settings.near_expiry_days)
    validate_time_zone(settings.time_zone)
    parse_required_tests(settings.qa_required_tests)
    validate_temperature_limit(settings.temperature_limit_deci)
    validate_product_description(settings.product_description)
    for name in settings.supplier_list:
        if len(name) > MAX_SUPPLIER:
            raise InvalidInput(
                f"Supplier name {name[:40]!r}… is too long (at most {MAX_SUPPLIER} characters).",
                field="suppliers",
            )
    return settings
