"""What the receiving bay records of a delivery: supplier, tanker, seal, temperature.

Temperatures are stored as integer tenths of a degree Celsius (like litres as millilitres:
exact, and the same on both databases); the plant's limit (default 7.0 °C, the PMO's 45 °F)
only flags a warm load, it never refuses one: the milk is there, and QA decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted, require_storable_text

MIN_TEMPERATURE_DECI = -50
MAX_TEMPERATURE_DECI = 400
DEFAULT_TEMPERATURE_LIMIT_DECI = 70
MAX_SUPPLIER = 128
MAX_VEHICLE_FIELD = 64  # tanker id, seal number
_TENTH = Decimal("0.1")
# Plain degrees: an optional sign, ASCII digits and at most one '.'. Decimal() alone would
# also read exponents ("1E1" is 10 °C) and overflow on "1e400" or ten thousand digits.
_PLAIN_DEGREES = re.compile(r"[+-]?([0-9]{1,4}(\.[0-9]{0,6})?|\.[0-9]{1,6})", re.ASCII)


@dataclass(frozen=True, slots=True)
class Intake:
    supplier: str | None = None
    tanker: str | None = None
    seal: str | None = None
    temperature_deci: int | None = None


NO_INTAKE = Intake()


def parse_temperature(value: str | Decimal | None, *, field: str = "temperature") -> int | None:
    """°C as typed (ASCII digits, one '.', optional sign; blank: not measured) to tenths."""
    if value is None:
        return None
    text = str(value).strip().removesuffix("°C").removesuffix("C").strip()
    if not text:
        return None
    not_a_number = InvalidInput(
        f"Temperature {quoted(text)} is not a number of °C: enter a value such as 4.5.",
        field=field,
    )
    if not _PLAIN_DEGREES.fullmatch(text):
        raise not_a_number
    degrees = Decimal(text)
    if degrees != degrees.quantize(_TENTH):
        raise InvalidInput(
            f"Temperature {quoted(text)} has more than one decimal place (e.g. 4.5).", field=field
        )
    deci = int(degrees * 10)
    if not MIN_TEMPERATURE_DECI <= deci <= MAX_TEMPERATURE_DECI:
        raise InvalidInput(
            f"Temperature must be between {format_temperature(MIN_TEMPERATURE_DECI)} and "
            f"{format_temperature(MAX_TEMPERATURE_DECI)} °C (got {quoted(text)}).",
            field=field,
        )
    return deci


def format_temperature(deci: int) -> str:
    """Tenths of °C as the exact text, e.g. 45 -> '4.5', -5 -> '-0.5'."""
    return f"{Decimal(deci) / 10:.1f}"


def is_over_limit(temperature_deci: int | None, limit_deci: int) -> bool:
    return temperature_deci is not None and temperature_deci > limit_deci


def _text(value: str | None, *, field: str, label: str, limit: int) -> str | None:
    if value is None:
        return None
    text = " ".join(require_storable_text(value, field=field, label=label).split())
    if len(text) > limit:
        raise InvalidInput(
            f"The {label} is too long ({len(text)} characters; at most {limit}).", field=field
        )
    return text or None


def intake(
    *,
    supplier: str | None = None,
    tanker: str | None = None,
    seal: str | None = None,
    temperature: str | Decimal | None = None,
) -> Intake:
    """Validate the intake fields as typed; every one is optional."""
    return Intake(
        supplier=_text(supplier, field="supplier", label="supplier", limit=MAX_SUPPLIER),
        tanker=_text(tanker, field="tanker", label="tanker id", limit=MAX_VEHICLE_FIELD),
        seal=_text(seal, field="seal", label="seal number", limit=MAX_VEHICLE_FIELD),
        temperature_deci=parse_temperature(temperature),
    )
