import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.liters import (
    format_liters,
    from_milliliters,
    parse_liters,
    to_milliliters,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", "12.500"),
        ("0.001", "0.001"),
        ("1000000", "1000000.000"),
        (" 7 ", "7.000"),
        (".5", "0.500"),
        ("5.", "5.000"),
    ],
)
def test_valid_litres_are_exact_with_three_places(text: str, expected: str) -> None:
    assert format_liters(parse_liters(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "NaN",
        "nan",
        "inf",
        "-inf",
        "-1",
        "0",
        "0.000",
        "1e400",
        "0.0001",
        "1000000.001",
        "1.2.3",
        "1,2,3",
        "12.5L",
        "0x10",
    ],
)
def test_bad_litres_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_liters(text)
    assert refused.value.field == "liters"
    assert str(refused.value)


@pytest.mark.parametrize(
    "text",
    # A decimal comma (once accepted) and an exponent are refused like the ambiguous rest:
    # the window turns its locale's form into plain digits before it asks.
    ["1,000", "1.000,5", "1_000", "1 000", "12,5", "1e3", "+5", "١٠٠٠", "１０００", "٣.٥"],
)
def test_anything_but_ascii_digits_and_one_point_is_refused_with_the_plain_form(
    text: str,
) -> None:
    with pytest.raises(InvalidInput, match=r"write 1000 or 1000\.5") as refused:
        parse_liters(text)
    assert refused.value.field == "liters"


def test_a_long_value_is_quoted_short() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_liters("9" * 10_000)
    assert "9" * 41 not in str(refused.value)


def test_floats_are_refused_because_they_are_not_exact() -> None:
    with pytest.raises(InvalidInput, match="not a float"):
        parse_liters(0.1)  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=1_000_000_000))
def test_millilitres_round_trip_exactly(milliliters: int) -> None:
    liters = from_milliliters(milliliters)
    assert to_milliliters(liters) == milliliters
    assert parse_liters(format_liters(liters)) == liters


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_any_decimal_is_either_accepted_exactly_or_refused(value: Decimal) -> None:
    try:
        parsed = parse_liters(str(value))
    except InvalidInput:
        return
    assert Decimal(0) < parsed <= Decimal(1_000_000)
    assert parsed == value
    assert parsed.as_tuple().exponent == -3


@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes_the_parser(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        parse_liters(text)
