"""A printed label scans back to its batch: build the label, draw its GS1-128 modules as an
image, decode them as a scanner does (zxing-cpp), and parse what a wedge would type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import zxingcpp

from dairy_desktop.barcodes.code128 import QUIET_ZONE_MODULES, gs1_128_pattern
from dairy_desktop.barcodes.gs1_encode import element_string, human_readable
from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import GS1Scan
from dairy_desktop.printing.label.data import build_label
from tests.support.factories import make_batch

BERLIN = ZoneInfo("Europe/Berlin")
NUMERIC = r"^\d{6,20}$"
# 2026-11-22 06:30 in Berlin (CET, UTC+1).
EXPIRES = datetime(2026, 11, 22, 5, 30, 41, tzinfo=UTC)


def scanned(element_text: str) -> str:
    """What a GS1-mode wedge scanner types for a GS1-128 carrying ``element_text``."""
    quiet = "0" * QUIET_ZONE_MODULES
    modules = quiet + gs1_128_pattern(element_text) + quiet
    row = bytes(0 if module == "1" else 255 for module in modules for _ in range(2))
    image = memoryview(row * 24).cast("B", (24, len(row)))
    (barcode,) = zxingcpp.read_barcodes(image, is_pure=True)
    assert barcode.symbology_identifier == "]C1"
    return barcode.symbology_identifier + barcode.bytes.decode("ascii") + "\r\n"


@pytest.mark.parametrize(
    ("now", "passed"),
    [(datetime(2026, 11, 22, 6, 29), False), (datetime(2026, 11, 22, 6, 30), True)],
)
def test_a_label_for_a_numeric_batch_scans_back_with_its_expiry_hour(
    now: datetime, passed: bool
) -> None:
    batch = make_batch("12345678", EXPIRES, initial_ml=1_000_000)
    elements = build_label(batch, BERLIN).gs1_choices[0]
    assert human_readable(elements) == "(17)261122(7003)2611220630(3150)001000(10)12345678"
    raw = scanned(element_string(elements))
    assert "\x1d" in raw  # (7003) is not of predefined length: FNC1 follows it

    result = parse_scan(raw, code_pattern=NUMERIC, gs_substitute="#", now=now)

    assert isinstance(result, GS1Scan), result
    assert result.batch_code == "12345678"
    assert result.code_matches_pattern
    assert result.expiry_date == date(2026, 11, 22)
    assert result.expiry_datetime == datetime(
        2026, 11, 22, 6, 30
    )  # seconds dropped, not rounded up
    assert result.net_volume_liters == 1000
    assert result.expiry_passed is passed


def test_every_narrower_choice_scans_back_to_the_same_batch() -> None:
    batch = make_batch("SCH-20261119-0007", EXPIRES)

    for elements in build_label(batch, BERLIN).gs1_choices:
        result = parse_scan(
            scanned(element_string(elements)),
            code_pattern=r"^[A-Z]{3}-\d{8}-\d{4}$",
            now=datetime(2026, 11, 20, 8, 0),
        )
        assert isinstance(result, GS1Scan), result
        assert (result.batch_code, result.expiry_date) == ("SCH-20261119-0007", date(2026, 11, 22))


def test_the_expiry_hour_is_the_plants_local_hour_in_summer_too() -> None:
    batch = make_batch("12345678", datetime(2026, 7, 1, 4, 15, tzinfo=UTC))  # 06:15 CEST

    (hour,) = [e for e in build_label(batch, BERLIN).gs1_choices[0] if e.ai == "7003"]

    assert hour.value == "2607010615"
