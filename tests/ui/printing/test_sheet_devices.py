"""The same sheet on a QPrinter and in a print preview; PDF files written all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.barcode_paint import module_px
from dairy_desktop.printing.page_setup import default_page_size
from dairy_desktop.printing.sheet import row_paint as sheet_row_paint
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.render import page_count, render_sheet, render_sheet_pdf

MakeBatch = Callable[..., Batch]


@pytest.fixture
def sheet(make_batch: MakeBatch) -> DailySheet:
    noon = datetime(2025, 12, 4, 11, 0, tzinfo=UTC)
    batches = [
        make_batch(f"SCH-20251201-{i:04d}", noon + timedelta(hours=2 * i - 30)) for i in range(50)
    ]
    return build_daily_sheet(
        batches,
        sheet_date=date(2025, 12, 4),
        days=3,
        zone=ZoneInfo("Europe/Berlin"),
        generated_at=noon,
        generated_by="anna",
        workstation="PC-1",
        plant_name="Dairy",
    )


def letter_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def test_a_printer_gets_as_many_pages_as_page_count_promises(
    tmp_path: Path, sheet: DailySheet
) -> None:
    path = tmp_path / "printer.pdf"
    printer = letter_printer(path)

    pages = render_sheet(sheet, printer)

    assert pages == page_count(sheet, printer.pageLayout())
    reader = PdfReader(path)
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_the_print_preview_lays_out_the_promised_page_count(
    tmp_path: Path, sheet: DailySheet
) -> None:
    printer = letter_printer(tmp_path / "unused.pdf")
    preview = QPrintPreviewWidget(printer)
    preview.paintRequested.connect(lambda device: render_sheet(sheet, device))

    preview.updatePreview()

    assert preview.pageCount() == page_count(sheet, printer.pageLayout())
    preview.deleteLater()


def test_a_failure_while_painting_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, sheet: DailySheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(b"yesterday's sheet")
    calls = {"rows": 0}
    original = sheet_row_paint.batch_row

    def failing_row(*args: Any) -> None:
        calls["rows"] += 1
        if calls["rows"] == 20:
            raise RuntimeError("printer on fire")
        original(*args)

    monkeypatch.setattr(sheet_row_paint, "batch_row", failing_row)

    with pytest.raises(RuntimeError, match="on fire"):
        render_sheet_pdf(sheet, path)

    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]
    assert path.read_bytes() == b"yesterday's sheet"


def test_a_missing_folder_is_a_clear_error(tmp_path: Path, sheet: DailySheet) -> None:
    with pytest.raises(OSError, match="Cannot write"):
        render_sheet_pdf(sheet, tmp_path / "no" / "such" / "sheet.pdf")

    assert list(tmp_path.iterdir()) == []


def test_a_page_too_small_is_refused_without_a_file(tmp_path: Path, sheet: DailySheet) -> None:
    with pytest.raises(InvalidInput, match="too"):
        render_sheet_pdf(sheet, tmp_path / "a7.pdf", QPageSize(QPageSize.PageSizeId.A7))

    assert list(tmp_path.iterdir()) == []


def test_a_narrow_page_is_refused_with_the_width_it_needs(
    tmp_path: Path, sheet: DailySheet
) -> None:
    # A5 is 148 mm wide (124 mm printable): too narrow for the columns at any type size.
    with pytest.raises(InvalidInput, match=r"too narrow .* 124 mm printable, about \d+ mm needed"):
        render_sheet_pdf(sheet, tmp_path / "a5.pdf", QPageSize(QPageSize.PageSizeId.A5))

    assert list(tmp_path.iterdir()) == []


def test_a_refused_sheet_never_reaches_the_printer(tmp_path: Path, sheet: DailySheet) -> None:
    printer = letter_printer(tmp_path / "printer.pdf")
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))

    with pytest.raises(InvalidInput, match="too narrow"):
        render_sheet(sheet, printer)

    assert list(tmp_path.iterdir()) == []  # no job started, so no blank page printed


@pytest.mark.parametrize(
    ("locale", "paper"),
    [
        ("en_US", QPageSize.PageSizeId.Letter),
        ("en_CA", QPageSize.PageSizeId.Letter),
        ("de_DE", QPageSize.PageSizeId.A4),
        ("en_GB", QPageSize.PageSizeId.A4),
        ("fr_FR", QPageSize.PageSizeId.A4),
    ],
)
def test_default_paper_follows_the_locale(locale: str, paper: QPageSize.PageSizeId) -> None:
    assert default_page_size(QLocale(locale)).id() == paper


@pytest.mark.parametrize(("dpi", "pixels"), [(1200, 12), (600, 6), (300, 3), (203, 2), (96, 1)])
def test_bar_modules_are_whole_device_pixels_never_under_a_quarter_millimetre(
    dpi: int, pixels: int
) -> None:
    module = module_px(dpi)

    assert module == pixels
    assert module * 25.4 / dpi >= 0.25 or pixels == 1
