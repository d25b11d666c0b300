"""A GS1 symbology identifier means GS1 data, whatever the plant's code pattern matches."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import BatchScan, GS1Scan, UnknownScan

NUMERIC = r"^\d{6,20}$"
NOW = datetime(2025, 12, 4, 8, 30)


@pytest.mark.parametrize("identifier", ["]C1", "]d2", "]Q3", "]e0"])
def test_gs1_data_that_also_matches_a_numeric_pattern_is_read_as_gs1(identifier: str) -> None:
    result = parse_scan(f"{identifier}172512111012345678", code_pattern=NUMERIC, now=NOW)

    assert isinstance(result, GS1Scan), result
    assert (result.batch_code, result.expiry_date) == ("12345678", date(2025, 12, 11))
    assert result.code_matches_pattern
    assert result.symbology == identifier


@pytest.mark.parametrize("identifier", ["", "]C0", "]Q1"])
def test_without_a_gs1_identifier_the_plants_pattern_still_decides(identifier: str) -> None:
    raw = f"{identifier}172512111012345678"

    assert parse_scan(raw, code_pattern=NUMERIC, now=NOW) == BatchScan(raw, "172512111012345678")


def test_gs1_data_that_cannot_be_read_is_never_taken_as_a_plain_code() -> None:
    # Matches the numeric pattern, but after ]C1 it is GS1: AI 17 with month 25 is no date.
    result = parse_scan("]C1172525111012345678", code_pattern=NUMERIC, now=NOW)

    assert isinstance(result, UnknownScan)
    assert "could not be read" in result.reason


def test_an_ean_13_is_a_product_barcode_even_if_the_pattern_matches_it() -> None:
    result = parse_scan("]E05901234123457", code_pattern=NUMERIC, now=NOW)

    assert isinstance(result, UnknownScan)
    assert "product barcode" in result.reason
