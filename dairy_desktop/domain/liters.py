"""Exact litres: decimals with at most three places (millilitres), never floats.

Storage and arithmetic use integer millilitres; Decimal is the edge format.
"""

from __future__ import annotations

import re
from decimal import Decimal

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

MAX_LITERS = Decimal(1_000_000)
_MILLI = Decimal("0.001")
# Typed litres: ASCII digits with at most one '.', nothing else. "1,000" means a thousand
# in one office and one in another, so neither reading is guessed.
_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", re.ASCII)
PLAIN_NUMBER_HINT = "write 1000 or 1000.5"


def parse_liters(value: str | Decimal | int, *, maximum: Decimal = MAX_LITERS) -> Decimal:
    """Return `value` as an exact positive Decimal with three places, or raise InvalidInput.

    Text must be plain: ASCII digits and at most one '.' ("12.5"), surrounding blanks
    allowed. Group separators, a decimal comma, exponents, signs and other scripts' digits
    are refused; a form that reads the locale's way of writing numbers (the window's)
    turns them into this plain form first. Floats are refused on purpose: they are not exact.
    """
    if isinstance(value, (bool, float)):
        raise InvalidInput("Litres must be given as an exact decimal, not a float.", field="liters")
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InvalidInput("Litres are missing: enter a number such as 12.5.", field="liters")
        if text.startswith("-") and _PLAIN_NUMBER.fullmatch(text[1:]):
            raise InvalidInput(f"Litres must be more than 0 (got {quoted(text)}).", field="liters")
        if not _PLAIN_NUMBER.fullmatch(text):
            raise InvalidInput(
                f"Litres {quoted(text)} is not a number as typed: {PLAIN_NUMBER_HINT} "
                "(digits 0-9 and at most one '.', no thousands separators).",
                field="liters",
            )
        if len(text) > 40:
            raise InvalidInput(
                f"Litres {quoted(text)} has too many digits; the largest allowed amount is "
                f"{maximum:,} L.",
                field="liters",
            )
        amount = Decimal(text)
    else:
        amount = Decimal(value)
        text = str(value)
    if not amount.is_finite():
        raise InvalidInput(f"Litres {quoted(text)} is not a finite number.", field="liters")
    if amount <= 0:
        raise InvalidInput(f"Litres must be more than 0 (got {quoted(text)}).", field="liters")
    if amount > maximum:
        raise InvalidInput(
            f"Litres {quoted(text)} is more than the largest allowed amount, {maximum:,} L.",
            field="liters",
        )
    if amount != amount.quantize(_MILLI):
        raise InvalidInput(
            f"Litres {quoted(text)} has more than 3 decimal places; the smallest unit is 1 mL "
            "(0.001 L).",
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
