"""Batch labels rendered to PDF: size, text, and both barcodes decoded back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import biip
import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.label.render import label_page_layout, render_label, render_label_pdf

BERLIN = ZoneInfo("Europe/Berlin")
MM_TO_PT = 72 / 25.4
CODE = "SCH-20251204-0001"
MakeBatch = Callable[..., Batch]
PageTexts = Callable[[Path], list[str]]
DecodePdf = Callable[[Path, int], list[list[zxingcpp.Barcode]]]


@pytest.fixture
def batch(make_batch: MakeBatch) -> Batch:
    # Received 2025-12-04 06:30 local, expires 2025-12-07 06:30 local.
    return make_batch(CODE, datetime(2025, 12, 7, 5, 30, tzinfo=UTC), remaining_ml=12_500_500)


def test_label_is_one_page_of_the_configured_size(tmp_path: Path, batch: Batch) -> None:
    path = tmp_path / "label.pdf"

    render_label_pdf(batch, path, zone=BERLIN, size_mm=(100, 60))

    pages = PdfReader(path).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert float(box.width) == pytest.approx(100 * MM_TO_PT, abs=0.5)
    assert float(box.height) == pytest.approx(60 * MM_TO_PT, abs=0.5)


def test_label_text_shows_the_batch_facts(
    tmp_path: Path, batch: Batch, page_texts: PageTexts
) -> None:
    path = tmp_path / "label.pdf"

    render_label_pdf(batch, path, zone=BERLIN)

    (text,) = page_texts(path)
    for fact in (
        CODE,
        "Received 2025-12-04 06:30",
        "Expires 2025-12-07 06:30",
        "12,500.500 L",
        "Fat 3.50 %",
        # 100 mm holds the expiry hour but not the litres as well (the text above says them).
        "(17)251207(7003)2512070630(10)SCH-20251204-0001",
    ):
        assert fact in text


def test_both_barcodes_decode_gs1_with_the_right_ais(
    tmp_path: Path, batch: Batch, decode_pdf: DecodePdf
) -> None:
    path = tmp_path / "label.pdf"
    render_label_pdf(batch, path, zone=BERLIN)

    (barcodes,) = decode_pdf(path, 300)

    by_symbology = {barcode.symbology_identifier: barcode for barcode in barcodes}
    assert sorted(by_symbology) == ["]C0", "]C1"]
    assert by_symbology["]C0"].text == CODE
    gs1 = by_symbology["]C1"]
    assert gs1.content_type == zxingcpp.ContentType.GS1
    assert gs1.text == "(17)251207(7003)2512070630(10)SCH-20251204-0001"
    # What a keyboard-wedge scanner would type, through the scanner path's GS1 parser.
    message = biip.parse("]C1" + gs1.bytes.decode("ascii")).gs1_message
    assert message is not None
    values = {element.ai.ai: element.value for element in message.element_strings}
    assert values == {"17": "251207", "7003": "2512070630", "10": CODE}


@pytest.mark.parametrize(
    ("code", "width_mm", "carried"),
    [
        (CODE, 120, "(17)251207(7003)2512070630(3151)125005(10)SCH-20251204-0001"),
        ("12345678", 100, "(17)251207(7003)2512070630(3151)125005(10)12345678"),
        ("ABCDEFGHIJKLMNOPQRST", 100, "(17)251207(10)ABCDEFGHIJKLMNOPQRST"),
    ],
)
def test_the_gs1_barcode_carries_all_the_label_width_holds(
    tmp_path: Path,
    make_batch: MakeBatch,
    decode_pdf: DecodePdf,
    code: str,
    width_mm: int,
    carried: str,
) -> None:
    batch = make_batch(code, datetime(2025, 12, 7, 5, 30, tzinfo=UTC), remaining_ml=12_500_500)
    path = tmp_path / "label.pdf"

    render_label_pdf(batch, path, zone=BERLIN, size_mm=(width_mm, 50))

    (barcodes,) = decode_pdf(path, 300)
    assert {b.symbology_identifier: b.text for b in barcodes}["]C1"] == carried


def test_a_code_gs1_cannot_carry_still_gets_a_code128_and_a_note(
    tmp_path: Path, make_batch: MakeBatch, page_texts: PageTexts, decode_pdf: DecodePdf
) -> None:
    long_code = "PLANT7-TANK3-20251204-0001"  # 26 characters: GS1 (10) allows 20
    path = tmp_path / "label.pdf"

    render_label_pdf(make_batch(long_code, datetime(2025, 12, 7, tzinfo=UTC)), path, zone=BERLIN)

    (text,) = page_texts(path)
    assert "No GS1-128" in text
    (barcodes,) = decode_pdf(path, 300)
    assert [(b.symbology_identifier, b.text) for b in barcodes] == [("]C0", long_code)]


def test_a_label_too_narrow_for_the_gs1_barcode_is_refused_and_leaves_no_file(
    tmp_path: Path, batch: Batch
) -> None:
    path = tmp_path / "label.pdf"

    with pytest.raises(InvalidInput, match="too narrow"):
        render_label_pdf(batch, path, zone=BERLIN, size_mm=(62, 50))

    assert list(tmp_path.iterdir()) == []


def test_a_label_too_short_is_refused(tmp_path: Path, batch: Batch) -> None:
    with pytest.raises(InvalidInput, match="too short"):
        render_label_pdf(batch, tmp_path / "label.pdf", zone=BERLIN, size_mm=(100, 30))

    assert list(tmp_path.iterdir()) == []


def test_a_code_no_barcode_can_carry_is_refused_clearly(
    tmp_path: Path, make_batch: MakeBatch
) -> None:
    batch = make_batch("KÄSE-0001", datetime(2025, 12, 7, tzinfo=UTC))

    with pytest.raises(InvalidInput, match="cannot be printed as a barcode"):
        render_label_pdf(batch, tmp_path / "label.pdf", zone=BERLIN)

    assert list(tmp_path.iterdir()) == []


def test_a_refused_label_never_reaches_the_printer(tmp_path: Path, batch: Batch) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    printer.setPageLayout(label_page_layout((62, 29)))

    with pytest.raises(InvalidInput):
        render_label(batch, printer, zone=BERLIN)

    assert list(tmp_path.iterdir()) == []  # no job started, so no blank label fed
