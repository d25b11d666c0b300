"""Render a DailySheet to a printer, a print preview or a PDF file, with QPainter.

Plain QPainter calls, not HTML in a QTextDocument: 1,000 rows take a fraction of the time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QPagedPaintDevice, QPageLayout, QPageSize, QPainter

from dairy_desktop.barcodes.code128 import NotEncodable, code128_pattern, pattern_width_modules
from dairy_desktop.printing.barcode_paint import module_px
from dairy_desktop.printing.page_setup import sheet_page_layout
from dairy_desktop.printing.paint_kit import Canvas
from dairy_desktop.printing.pdf_output import write_pdf
from dairy_desktop.printing.sheet import page_paint as page
from dairy_desktop.printing.sheet import plan_paint as planning
from dairy_desktop.printing.sheet import row_paint as rows
from dairy_desktop.printing.sheet.columns import MAX_BARCODE_SHARE, lay_out_columns
from dairy_desktop.printing.sheet.data import DailySheet
from dairy_desktop.printing.sheet.frame import SheetFrame
from dairy_desktop.printing.sheet.layout import Block, PagePlan, paginate


def printable_size_mm(layout: QPageLayout) -> tuple[float, float]:
    rect = layout.paintRect(QPageLayout.Unit.Millimeter)
    return rect.width(), rect.height()


def page_count(sheet: DailySheet, layout: QPageLayout | None = None) -> int:
    """Pages the sheet takes with `layout` (default: the sheet's A4/Letter layout).

    Needs no painter: block heights are fixed, so this is what the preview can show before
    it renders anything.
    """
    _, height = printable_size_mm(layout or sheet_page_layout())
    return len(paginate(sheet, height))


def _row_patterns(
    sheet: DailySheet, max_width_mm: float, module_mm: float
) -> list[list[str | None]]:
    """Each row's Code 128 pattern, or None when the code cannot be a readable barcode here."""
    result: list[list[str | None]] = []
    for section in sheet.sections:
        patterns: list[str | None] = []
        for row in section.rows:
            try:
                pattern: str | None = code128_pattern(row.code)
            except NotEncodable:
                pattern = None
            if pattern is not None and pattern_width_modules(pattern) * module_mm > max_width_mm:
                pattern = None
            patterns.append(pattern)
        result.append(patterns)
    return result


def render_sheet(sheet: DailySheet, device: QPagedPaintDevice) -> int:
    """Paint the sheet on `device` (QPrinter or QPdfWriter, page layout already set).

    Returns the number of pages. The device's page layout decides paper and margins.
    """
    width, height = printable_size_mm(device.pageLayout())
    plans = paginate(sheet, height)
    painter = QPainter()
    # Measure and lay out before begin(): a refusal (page too narrow) must not leave a
    # blank page in the printer's queue.
    canvas = Canvas(painter, device)
    module = module_px(canvas.dpi)
    patterns = _row_patterns(sheet, width * MAX_BARCODE_SHARE, module / canvas.px_per_mm)

    def width_of(font: QFont, text: str) -> float:
        return canvas.text_width_mm(font, text)

    columns = lay_out_columns(
        sheet,
        [p for section in patterns for p in section],
        line_width_mm=width,
        module_mm=module / canvas.px_per_mm,
        width_of=width_of,
    )
    frame = SheetFrame(canvas, sheet, columns, patterns, width, height, module)
    if not painter.begin(device):
        raise OSError("Cannot start printing: the printer or file refused to open.")
    try:
        for number, plan in enumerate(plans, start=1):
            if number > 1 and not device.newPage():
                raise OSError("Cannot start a new page: the printer or file refused it.")
            _paint_page(frame, plan)
            page.footer(frame, number, len(plans))
    finally:
        painter.end()
    return len(plans)


def _paint_page(frame: SheetFrame, plan: PagePlan) -> None:
    sections = frame.sheet.sections
    for placed in plan.blocks:
        top = placed.top_mm
        if placed.block is Block.FIRST_HEADER:
            page.first_header(frame, top)
        elif placed.block is Block.CONTINUED_HEADER:
            page.continued_header(frame, top)
        elif placed.block is Block.SECTION_HEADING:
            section = sections[placed.section]
            rows.section_heading(frame, top, section, continued=placed.continued)
        elif placed.block is Block.COLUMN_HEADINGS:
            rows.column_headings(frame, top)
        elif placed.block is Block.ROW:
            row = sections[placed.section].rows[placed.row]
            rows.batch_row(frame, top, row, frame.patterns[placed.section][placed.row])
        elif placed.block is Block.NONE_ROW:
            rows.none_row(frame, top)
        elif placed.block is Block.PLAN_CHART:
            planning.plan_chart_block(frame, top)
        elif placed.block is Block.RISK_HEADING:
            planning.risk_heading(frame, top, continued=placed.continued)
        elif placed.block is Block.RISK_COLUMNS:
            planning.risk_columns(frame, top)
        elif placed.block is Block.RISK_ROW:
            planning.risk_row(frame, top, frame.sheet.at_risk[placed.row])
        else:
            page.sign_off(frame, top)


def render_sheet_pdf(
    sheet: DailySheet, path: str | Path, page_size: QPageSize | None = None
) -> int:
    """Write the sheet as a PDF at `path` (replaced only if all went well); returns pages."""
    title = f"{sheet.title} {sheet.sheet_date.isoformat()} — {sheet.plant_name}"
    return write_pdf(
        path, sheet_page_layout(page_size), title, lambda writer: render_sheet(sheet, writer)
    )
