"""Fat percentage: optional, 0–100, at most two decimals; stored as integer hundredths."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

_CENTI = Decimal("0.01")


def parse_fat_percent(value: str | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    text = str(value).strip().rstrip("%").strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not text:
        return None
    not_a_number = InvalidInput(
        f"Fat % {quoted(text)} is not a number: enter a value such as 3.5.", field="fat"
    )
    if not text.isascii():  # Decimal() would also read other scripts' digits
        raise not_a_number
    try:
        fat = Decimal(text)
    except InvalidOperation:
        raise not_a_number from None
    if not fat.is_finite() or fat < 0 or fat > 100:
        raise InvalidInput(f"Fat % must be between 0 and 100 (got {quoted(text)}).", field="fat")
    if fat != fat.quantize(_CENTI):
        raise InvalidInput(f"Fat % {quoted(text)} has more than 2 decimal places.", field="fat")
    return fat.quantize(_CENTI)


def to_centi(fat: Decimal | None) -> int | None:
    return None if fat is None else int(fat * 100)


def from_centi(centi: int | None) -> Decimal | None:
    return None if centi is None else (Decimal(centi) / 100).quantize(_CENTI)
