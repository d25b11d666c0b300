"""Operators see an example code, never the plant's regular expression."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import GS1Scan, UnknownScan
from dairy_desktop.domain.code_example import example_code
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN, ORDER_ID_PATTERN

NOW = datetime(2025, 12, 4, 8, 30)


@pytest.mark.parametrize(
    ("pattern", "example"),
    [
        (DEFAULT_CODE_PATTERN, "SCH-20251204-0001"),
        (ORDER_ID_PATTERN, "ORDER-20251204-1234"),
        (r"^\d{6,20}$", "123456"),
        (r"^MILK\d+$", "MILK1"),
        (r"^[A-Z]{2}-?\d{4}$", "AB1234"),
        (r"^(TANK|SILO)\d{2}$", "TANK12"),
        (r"^[^0-9]{3}$", "ABC"),
    ],
)
def test_an_example_is_a_code_the_pattern_matches(pattern: str, example: str) -> None:
    assert example_code(pattern) == example
    assert re.fullmatch(pattern, example)


@pytest.mark.parametrize("pattern", [r"(?=X)ABC", r"^(A)\1$", "(", r"^\d{100}$", r"^\d\b\d$"])
def test_a_pattern_that_cannot_be_followed_gives_no_example(pattern: str) -> None:
    assert example_code(pattern) is None


def test_the_not_understood_message_shows_examples_not_patterns() -> None:
    result = parse_scan("HELLO", code_pattern=r"^\d{6,20}$", now=NOW)

    assert isinstance(result, UnknownScan)
    assert "such as 123456" in result.reason
    assert "such as ORDER-20251204-1234" in result.reason
    assert "\\d" not in result.reason
    assert "^" not in result.reason


def test_without_an_example_the_message_still_has_no_pattern() -> None:
    result = parse_scan("HELLO", code_pattern=r"^(?=T)T\d+$", now=NOW)

    assert isinstance(result, UnknownScan)
    assert "in this plant's format" in result.reason
    assert "(?=" not in result.reason


def test_a_gs1_lot_off_the_pattern_names_an_example_code() -> None:
    result = parse_scan("10LOT42", code_pattern=r"^\d{6,20}$", now=NOW)

    assert isinstance(result, GS1Scan)
    assert result.code_example == "123456"
    (problem,) = result.problems()
    assert "codes look like 123456" in problem
    assert "\\d" not in problem
