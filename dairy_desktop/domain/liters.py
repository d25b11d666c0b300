"""Exact litres: decimals with at most three places (millilitres), never floats.

Storage and arithmetic use integer millilitres; Decimal is the edge format.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dairy_desktop.domain.errors import InvalidInput

MAX_LITERS = Decimal(1_000_000)
_MILLI = Decimal("0.001")


def parse_liters(value: str | Decimal | int, *, maximum: Decimal = MAX_LITERS) -> Decimal:
    """Return `value` as an exact positive Decimal with three places, or raise InvalidInput.

    Accepts a string such as "12.5" or "12,5" (a lone comma is a decimal comma, as typed
    on most European keyboards). Floats are refused on purpose: they are not exact.
    """
    if isinstance(value, (bool, float)):
        raise InvalidInput("Litres must be given as an exact decimal, not a float.", field="liters")
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not text:
        raise InvalidInput("Litres are missing: enter a number such as 12.5.", field="liters")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(
            f"Litres {text!r} is not a number: enter a decimal such as 12.5.", field="liters"
        ) from None
    if not amount.is_finite():
        raise InvalidInput(f"Litres {text!r} is not a finite number.", field="liters")
    if amount <= 0:
        raise InvalidInput(f"Litres must be more than 0 (got {text}).", field="liters")
    if amount > maximum:
        raise InvalidInput(
            f"Litres {text} is more than the largest allowed amount, {maximum:,} L.",
            field="liters",
        )
    if amount != amount.quantize(_MILLI):
        raise InvalidInput(
            f"Litres {text} has more than 3 decimal places; the smallest unit is 1 mL (0.001 L).",
            field="liters",
        )
    return amount.quantize(_MILLI)


def to_milliliters(liters: Decimal) -> int:
    """Exact conversion; the caller has already validated three places."""
    return int(liters.quantize(_MILLI) * 1000)


def from_milliliters(milliliters: int) -> Decimal:
    return (Decimal(milliliters) / 1000).quantize(_MILLI)


def format_liters(liters: Decimal) -> str:
    """'999.900' style: always three places, as the JSON contract and the sheets show."""
    return f"{liters.quantize(_MILLI):f}"
