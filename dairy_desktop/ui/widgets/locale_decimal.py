"""Exact decimals shown and typed the way the PC's locale writes numbers, never via float."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale


def _separators(locale: QLocale | None) -> tuple[str, str]:
    locale = locale or QLocale()
    return locale.decimalPoint(), locale.groupSeparator()


def format_decimal(value: Decimal, places: int, locale: QLocale | None = None) -> str:
    """e.g. 1234.5 → '1,234.500' (en) or '1.234,500' (de)."""
    point, group = _separators(locale)
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


def plain_decimal(value: Decimal, places: int, locale: QLocale | None = None) -> str:
    """For an input field: the locale's decimal point, no group separators ('1234,500')."""
    point, _group = _separators(locale)
    return f"{value:.{places}f}".replace(".", point)


def normalise_decimal(text: str, locale: QLocale | None = None) -> str:
    """Turn what the operator typed into '1234.5' form for the exact parser.

    The locale's decimal point is honoured; group separators are dropped; a lone '.' or ','
    is read as the decimal point either way, since operators type both.
    """
    point, group = _separators(locale)
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if point in text:
        return text.replace(group, "").replace(point, ".") if group != point else text
    if text.count(",") == 1 and "." not in text:
        return text.replace(",", ".")
    return text
