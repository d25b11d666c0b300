"""'#' as the FNC1 stand-in is a per-PC choice; AI 8010 (CPID) may hold '#' as data."""

from __future__ import annotations

from datetime import date, datetime

from biip.gs1_element_strings import GS1ElementStrings

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import GS1Scan, ScanResult, UnknownScan
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN

GS = "\x1d"
NOW = datetime(2025, 12, 4, 8, 30)
CODE = "SCH-20251204-0001"
CPID_FIRST = f"801095011015#ABC{GS}10{CODE}"


def scan(raw: str, gs_substitute: str | None = "#") -> ScanResult:
    return parse_scan(raw, code_pattern=DEFAULT_CODE_PATTERN, gs_substitute=gs_substitute, now=NOW)


def test_with_no_substitute_a_hash_in_a_cpid_is_data() -> None:
    result = scan(CPID_FIRST, gs_substitute=None)

    assert isinstance(result, GS1Scan), result
    assert result.batch_code == CODE


def test_a_scan_with_a_real_gs_reads_the_hash_as_data_even_with_the_default() -> None:
    # A scanner that types GS for FNC1 types it every time: its '#' can only be data.
    result = scan(f"]C1{CPID_FIRST}")

    assert isinstance(result, GS1Scan), result
    assert result.batch_code == CODE


def test_the_cpid_value_is_kept_whole() -> None:
    # The same reading biip gives with GS as the only separator.
    from biip.gs1_messages import GS1Message

    elements: GS1ElementStrings = GS1Message.parse(CPID_FIRST).element_strings
    assert [(e.ai.ai, e.value) for e in elements] == [("8010", "95011015#ABC"), ("10", CODE)]


def test_with_the_default_a_hash_that_breaks_the_read_says_to_switch_it_off() -> None:
    result = scan(f"10{CODE}#801095011015#ABC")

    assert isinstance(result, UnknownScan)
    assert "could not be read" in result.reason
    assert "'#' as the FNC1 separator" in result.reason
    assert "8010" in result.reason
    assert "switch the separator substitute off" in result.reason


def test_a_failure_without_a_hash_does_not_blame_the_substitute() -> None:
    result = scan(f"10{CODE}{GS}1725")

    assert isinstance(result, UnknownScan)
    assert "separator" not in result.reason


def test_the_default_still_reads_hash_as_fnc1_when_no_gs_is_sent() -> None:
    result = scan(f"10{CODE}#17251211")

    assert isinstance(result, GS1Scan)
    assert result.expiry_date == date(2025, 12, 11)
