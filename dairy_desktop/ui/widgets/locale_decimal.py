"""Exact decimals shown and typed the way the PC's locale writes numbers, never via float.

The window shows numbers in the locale's format (QLocale(): the PC's, or whatever default
the application set), so a typed number is read the same way. ``plain_number`` turns typed
text into the plain ``1234.5`` form the exact domain parsers take, and refuses what cannot be
read without guessing. The rules, with d = the locale's decimal point, g = its digit group
separator (en-US d='.', g=','; de-DE and pt-BR d=',', g='.'; fr-FR d=',', g=U+202F):

* digits are ASCII 0-9; a leading '-' (or the locale's minus) is passed on, for the domain
  to refuse with its own reason; blanks around the number are ignored;
* grouping is optional ("1000" is always fine); when used, every g is followed by exactly as
  many digits as the locale groups by (3 almost everywhere: "1,000" but not "1,00"), and the
  group before it is not longer than that;
* d appears at most once, and after every g ("1.000,5" is refused in en-US);
* where g is a space (fr-FR), a plain space, a no-break space (U+00A0) and a narrow no-break
  space (U+202F) all count as g; elsewhere a space inside a number is refused;
* '.' or ',' that is neither d nor g here (a '.' in fr-FR) is refused, naming d.

So en-US "1,000" is one thousand, "1,000.5" and "1000.5" work, "1,00" and "12,5" are refused;
de-DE "1.000,5" and "12,5" work, "1.5" is refused ('.' groups thousands there).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from PySide6.QtCore import QLocale

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

_SPACES = frozenset({" ", "\u00a0", "\u202f"})
_MINUS_SIGNS = frozenset({"-", "\u2212"})
_DIGITS = frozenset("0123456789")


def _separators(locale: QLocale | None) -> tuple[str, str]:
    locale = locale or QLocale()
    return locale.decimalPoint(), locale.groupSeparator()


@cache
def _grouping_of(name: str) -> tuple[int, int]:
    """(digits in the group next to the point, digits in the groups before it), from how the
    locale writes a long number: (3, 3) almost everywhere, (3, 2) in en-IN ("12,34,567")."""
    locale = QLocale(name)
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    groups = locale.toString(12_345_678_901).split(locale.groupSeparator())
    if len(groups) < 3 or not all(group.isdigit() for group in groups):
        return 3, 3
    return len(groups[-1]), len(groups[-2])


def _grouping(locale: QLocale) -> tuple[int, int]:
    return _grouping_of(locale.name())


def _group(digits: str, primary: int, secondary: int, separator: str) -> str:
    if len(digits) <= primary:
        return digits
    head, tail = digits[:-primary], digits[-primary:]
    parts = [tail]
    while len(head) > secondary:
        parts.append(head[-secondary:])
        head = head[:-secondary]
    parts.append(head)
    return separator.join(reversed(parts))


def format_decimal(value: Decimal, places: int, locale: QLocale | None = None) -> str:
    """e.g. 1234.5 → '1,234.500' (en) or '1.234,500' (de); exact, never via float."""
    locale = locale or QLocale()
    point, group = _separators(locale)
    text = f"{abs(value):.{places}f}"
    whole, _, fraction = text.partition(".")
    primary, secondary = _grouping(locale)
    grouped = _group(whole, primary, secondary, group)
    sign = "-" if value < 0 and any(ch not in "0." for ch in text) else ""
    return sign + grouped + (point + fraction if fraction else "")


def plain_decimal(value: Decimal, places: int, locale: QLocale | None = None) -> str:
    """For an input field: the locale's decimal point, no group separators ('1234,500')."""
    point, _group = _separators(locale)
    return f"{value:.{places}f}".replace(".", point)


def _shown(separator: str) -> str:
    return "a space" if separator.isspace() else f"'{separator}'"


def plain_number(
    text: str, *, what: str, field: str | None = None, locale: QLocale | None = None
) -> str:
    """Typed text in the locale's format → '1234.5' form ('' if blank), or InvalidInput.

    `what` names the field in the reason ("Litres"); `field` is passed to InvalidInput.
    """
    locale = locale or QLocale()
    point, group = _separators(locale)
    primary, secondary = _grouping(locale)
    typed = text.strip()
    if not typed:
        return ""

    def refuse(reason: str) -> InvalidInput:
        return InvalidInput(f"{what} {quoted(typed)} cannot be read: {reason}", field=field)

    example = f"1{group}000{point}5" if not group.isspace() else f"1 000{point}5"
    format_note = (
        f"in this PC's number format the decimal point is {_shown(point)} and digits are "
        f"grouped with {_shown(group)} (e.g. {example})."
    )
    body, sign = typed, ""
    if body[0] in _MINUS_SIGNS or body[0] == locale.negativeSign():
        body, sign = body[1:], "-"
    elif body[0] == "+" or body[0] == locale.positiveSign():
        body = body[1:]
    if group.isspace():
        body = "".join(group if ch in _SPACES else ch for ch in body)
    for ch in body:
        if ch in _DIGITS or ch in (point, group):
            continue
        if ch in ".,":
            raise refuse(f"'{ch}' is not used in numbers here; " + format_note)
        if ch.isspace():
            raise refuse("no spaces inside a number; " + format_note)
        if ch.isdigit():
            raise refuse("use the digits 0-9.")
        raise refuse(f"'{ch}' is not part of a number; " + format_note)
    if body.count(point) > 1:
        raise refuse(f"the decimal point {_shown(point)} may appear only once; " + format_note)
    whole, has_point, fraction = body.partition(point)
    if group in fraction:
        raise refuse(
            f"{_shown(group)} groups digits and cannot come after the decimal point; " + format_note
        )
    if group in whole:
        parts = whole.split(group)
        sizes_ok = (
            0 < len(parts[0]) <= secondary
            and all(len(part) == secondary for part in parts[1:-1])
            and len(parts[-1]) == primary
        )
        if not sizes_ok:
            sizes = (
                f"exactly {primary} digits"
                if primary == secondary
                else f"exactly {secondary} digits, the last one by {primary}"
            )
            each = "each space" if group.isspace() else f"each '{group}'"
            raise refuse(f"{each} must be followed by {sizes}; " + format_note)
        whole = "".join(parts)
    if not (whole or fraction):
        raise refuse("there are no digits.")
    plain = sign + (whole or "0")
    return plain + "." + fraction if has_point and fraction else plain


def parse_locale_decimal(
    text: str, *, what: str, field: str | None = None, locale: QLocale | None = None
) -> Decimal | None:
    """Like `plain_number`, as an exact Decimal (None if blank)."""
    plain = plain_number(text, what=what, field=field, locale=locale)
    return Decimal(plain) if plain else None
