"""Whole numbers typed as text: ASCII digits, within the bounds the caller names."""

from __future__ import annotations

import pytest

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.whole_number import parse_whole_number


def parse(value: int | str) -> int:
    return parse_whole_number(value, label="Days", field="days", minimum=0, maximum=30)


@pytest.mark.parametrize(("value", "expected"), [("0", 0), (" 7 ", 7), ("30", 30), (5, 5)])
def test_plain_digits_within_bounds_are_read(value: int | str, expected: int) -> None:
    assert parse(value) == expected


@pytest.mark.parametrize(
    "value", ["٣", "５", "1_0", "+5", "5.0", "", "five", "0x1", "1e1", "\udcff", True]
)
def test_anything_but_ascii_digits_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput, match="Days") as refused:
        parse(value)  # type: ignore[arg-type]
    assert refused.value.field == "days"


@pytest.mark.parametrize("value", ["31", "-1", "9" * 30, "9" * 10_000, 31])
def test_out_of_bounds_is_refused_naming_the_bounds(value: str) -> None:
    with pytest.raises(InvalidInput, match="0–30") as refused:
        parse(value)
    assert "9" * 41 not in str(refused.value)
