"""Typed numbers are read the way the window writes them in the operator's locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.ui.widgets.locale_decimal import (
    format_decimal,
    parse_locale_decimal,
    plain_decimal,
    plain_number,
)

EN, DE, FR, BR = (QLocale(name) for name in ("en_US", "de_DE", "fr_FR", "pt_BR"))


@pytest.mark.parametrize(
    ("locale", "typed", "plain"),
    [
        (EN, "1,000", "1000"),
        (EN, "1,000.5", "1000.5"),
        (EN, "1000.5", "1000.5"),
        (EN, " 4,539.500 ", "4539.500"),
        (EN, "1,234,567.125", "1234567.125"),
        (EN, ".5", "0.5"),
        (EN, "5.", "5"),
        (EN, "-3", "-3"),
        (DE, "1.000,5", "1000.5"),
        (DE, "1.000", "1000"),
        (DE, "12,5", "12.5"),
        (DE, "1000,5", "1000.5"),
        (FR, "1 000,5", "1000.5"),
        (FR, "1\u00a0000,5", "1000.5"),
        (FR, "1\u202f000,5", "1000.5"),
        (FR, "12,5", "12.5"),
        (BR, "1.000,5", "1000.5"),
        (BR, "2.500.000,125", "2500000.125"),
        (BR, "0,25", "0.25"),
    ],
)
def test_the_locales_own_way_of_writing_is_read_exactly(
    locale: QLocale, typed: str, plain: str
) -> None:
    assert plain_number(typed, what="Litres", locale=locale) == plain


@pytest.mark.parametrize(
    ("locale", "typed", "reason"),
    [
        (EN, "1,00", "each ',' must be followed by exactly 3 digits"),
        (EN, "12,5", "the decimal point is '.'"),
        (EN, "1,0000", "exactly 3 digits"),
        (EN, "1234,567", "exactly 3 digits"),
        (EN, "1.000,5", "',' groups digits and cannot come after the decimal point"),
        (EN, "1.000.000", "the decimal point '.' may appear only once"),
        (EN, "1 000", "no spaces inside a number"),
        (EN, ",500", "exactly 3 digits"),
        (DE, "1.5", "the decimal point is ','"),
        (DE, "1,000.5", "'.' groups digits and cannot come after the decimal point"),
        (DE, "1,5,0", "may appear only once"),
        (FR, "1.5", "'.' is not used in numbers here"),
        (FR, "1 00,5", "each space must be followed by exactly 3 digits"),
        (BR, "1.5", "the decimal point is ','"),
        (EN, "1e3", "'e' is not part of a number"),
        (EN, "١٢", "use the digits 0-9"),
        (EN, "-", "there are no digits"),
    ],
)
def test_what_this_locale_cannot_read_without_guessing_is_refused_with_the_reason(
    locale: QLocale, typed: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        plain_number(typed, what="Litres", field="liters", locale=locale)
    assert reason in str(refused.value)
    assert str(refused.value).startswith(f"Litres {typed.strip()!r} cannot be read")
    assert refused.value.field == "liters"


def test_blank_is_blank_in_every_locale() -> None:
    for locale in (EN, DE, FR, BR):
        assert plain_number("  ", what="Fat %", locale=locale) == ""
        assert parse_locale_decimal("", what="Fat %", locale=locale) is None


def test_the_decimal_is_exact_not_a_float() -> None:
    value = parse_locale_decimal("0,1", what="Fat %", locale=DE)
    assert value == Decimal("0.1")
    assert isinstance(value, Decimal)
    assert parse_locale_decimal("999,999.999", what="Litres", locale=EN) == Decimal("999999.999")


def test_indian_grouping_follows_the_locale() -> None:
    india = QLocale("en_IN")
    assert plain_number("12,34,567.5", what="Litres", locale=india) == "1234567.5"
    with pytest.raises(InvalidInput, match="exactly 2 digits, the last one by 3"):
        plain_number("1,234,567", what="Litres", locale=india)


@pytest.mark.parametrize(
    ("locale", "shown"),
    [(EN, "4,539.500"), (DE, "4.539,500"), (FR, "4\u202f539,500"), (BR, "4.539,500")],
)
def test_what_the_window_shows_reads_back_as_the_same_number(locale: QLocale, shown: str) -> None:
    value = Decimal("4539.5")
    assert format_decimal(value, 3, locale) == shown
    assert parse_locale_decimal(shown, what="Litres", locale=locale) == value
    plain = plain_decimal(value, 3, locale)
    assert parse_locale_decimal(plain, what="Litres", locale=locale) == value


def test_format_groups_large_and_negative_numbers_exactly() -> None:
    assert format_decimal(Decimal("1234567.125"), 3, EN) == "1,234,567.125"
    assert format_decimal(Decimal("-1234.5"), 2, DE) == "-1.234,50"
    assert format_decimal(Decimal("12"), 0, EN) == "12"
    assert format_decimal(Decimal("1234567"), 3, QLocale("en_IN")) == "12,34,567.000"
