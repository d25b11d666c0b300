"""What biip would quietly repair is refused, each with a reason naming the fault."""

from __future__ import annotations

from datetime import datetime

import pytest

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import GS1Scan, UnknownScan
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN

NOW = datetime(2025, 12, 4, 8, 30)
GS = "\x1d"


def reason(raw: str) -> str:
    result = parse_scan(raw, code_pattern=DEFAULT_CODE_PATTERN, now=NOW)
    assert isinstance(result, UnknownScan), result
    assert result.reason.isprintable()
    return result.reason


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("(10)AB 12", ["AI 10", "'AB 12'", "space"]),
        ("(10)AB 12(17)251211", ["'AB 12'", "space"]),
        ("(17)251211 (10)A B", ["'A B'", "space"]),
        ("10AB 12", ["a space"]),
        ("]C110AB 12", ["a space"]),
        (f"10AB\t12{GS}17251211", ["<TAB>"]),
    ],
)
def test_a_blank_inside_an_element_is_refused(raw: str, words: list[str]) -> None:
    text = reason(raw)

    for word in words:
        assert word in text


@pytest.mark.parametrize("identifier", ["]C1", "]d2", "]Q3"])
def test_brackets_after_a_gs1_symbology_identifier_are_refused(identifier: str) -> None:
    text = reason(f"{identifier}(10)ABC")

    assert f"after {identifier}" in text
    assert "without brackets" in text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("(10)AB\x1d(17)251211", "<GS>"), ("\x1d(10)AB(17)251211", "<GS>"), ("(10)A\x07B", "\\x07")],
)
def test_a_control_character_in_bracket_text_is_refused(raw: str, shown: str) -> None:
    text = reason(raw)

    assert shown in text
    assert "bracketed form" in text


def test_blanks_around_the_brackets_are_still_fine() -> None:
    raw = "(10) SCH-20251204-0001 (17) 251211"

    result = parse_scan(raw, code_pattern=DEFAULT_CODE_PATTERN, now=NOW)

    assert isinstance(result, GS1Scan)
    assert result.batch_code == "SCH-20251204-0001"
