"""The sheet's sections: heading bands, column headings, batch rows, "None"."""

from __future__ import annotations

from PySide6.QtCore import QLineF

from dairy_desktop.printing.barcode_paint import paint_barcode
from dairy_desktop.printing.paint_kit import BLACK, DARK_GREY, MID_GREY, WHITE, Align
from dairy_desktop.printing.sheet.columns import (
    INITIALS_BOX_MM,
    STATUS_ICON_GAP_MM,
    STATUS_ICON_MM,
    TICK_BOX_MM,
)
from dairy_desktop.printing.sheet.data import SheetRow, SheetSection
from dairy_desktop.printing.sheet.frame import BANDS, SheetFrame
from dairy_desktop.printing.sheet.layout import (
    COLUMN_HEADINGS_MM,
    NONE_ROW_MM,
    ROW_MM,
    SECTION_HEADING_MM,
)
from dairy_desktop.printing.status_glyphs import draw_status_glyph
from dairy_desktop.printing.text_format import time_left_lines, two_lines

# 9 mm bars: tall enough to hit with a handheld scanner's line from any angle on paper.
BAR_TOP_MM = 1.2
BAR_HEIGHT_MM = 9.0
FIRST_LINE_MM = 6.0
SECOND_LINE_MM = 10.0
CODE_BASELINE_MM = 13.1
INITIALS_HEIGHT_MM = 7.0


def section_heading(
    frame: SheetFrame, top: float, section: SheetSection, *, continued: bool
) -> None:
    c, f, band, w = frame.canvas, frame.fonts, BANDS[section.kind], frame.width
    c.box(
        0,
        top,
        w,
        SECTION_HEADING_MM,
        fill=band.fill,
        outline=band.outline,
        outline_mm=0.4,
        dashed=band.dashed,
    )
    title = f"{section.title} (continued)" if continued else section.title
    c.text(2, top + 5.6, title, f.heading, color=band.text)
    c.text(w - 2, top + 5.6, section.totals_text, f.heading, Align.RIGHT, band.text)


def column_headings(frame: SheetFrame, top: float) -> None:
    c, font = frame.canvas, frame.fonts.small_bold
    baseline = top + COLUMN_HEADINGS_MM - 1.6
    c.text(frame.quiet_zone_mm, baseline, "Batch (scan barcode)", font, color=DARK_GREY)
    for column in frame.columns.columns:
        anchor = {Align.LEFT: column.left_mm, Align.RIGHT: column.right_mm}.get(
            column.align, column.centre_mm
        )
        c.text(anchor, baseline, column.title, font, column.align, DARK_GREY)
    c.line(0, top + COLUMN_HEADINGS_MM, frame.width, top + COLUMN_HEADINGS_MM, 0.25, BLACK)


def batch_row(frame: SheetFrame, top: float, row: SheetRow, pattern: str | None) -> None:
    c, f, cols = frame.canvas, frame.fonts, frame.col
    first, second = top + FIRST_LINE_MM, top + SECOND_LINE_MM
    # Grouped by font: a PDF painter pays for every font switch.
    received_day, received_time = two_lines(row.received_text)
    c.text(cols["received"].left_mm, first, received_day, f.body)
    c.text(cols["received"].left_mm, second, received_time, f.body)
    if row.status is None:
        left_first, left_second = time_left_lines(row.time_left_text)
        c.text(cols["time_left"].left_mm, first, left_first, f.body)
        if left_second:
            c.text(cols["time_left"].left_mm, second, left_second, f.body)
    else:
        # The reason it must not be used, where the time left usually leads; expiry still
        # matters (expired milk is disposed of first), so its word stays below.
        c.text(cols["time_left"].left_mm, second, time_left_lines(row.time_left_text)[0], f.body)
    c.text(cols["fat"].right_mm, first, row.fat_text, f.body, Align.RIGHT)
    if row.temperature_text and not row.warm:
        c.text(cols["fat"].right_mm, second, row.temperature_text, f.body, Align.RIGHT)
    expires_day, expires_time = two_lines(row.expires_text)
    c.text(cols["expires"].left_mm, first, expires_day, f.body_bold)
    c.text(cols["expires"].left_mm, second, expires_time, f.body_bold)
    c.text(cols["remaining"].right_mm, first, row.remaining_text, f.body_bold, Align.RIGHT)
    if row.warm:
        c.text(cols["fat"].right_mm, second, row.temperature_text, f.body_bold, Align.RIGHT)
    if row.status is not None:
        left = cols["time_left"].left_mm
        icon_top = first - STATUS_ICON_MM + 0.3
        draw_status_glyph(
            c.painter,
            row.status,
            c.rect_mm(left, icon_top, STATUS_ICON_MM, STATUS_ICON_MM),
            BLACK,
            WHITE,
        )
        c.text(left + STATUS_ICON_MM + STATUS_ICON_GAP_MM, first, row.status_word, f.body_bold)
    if pattern is None:
        # Rare (a plant's own long codes): the whole code matters more than speed here.
        c.wrapped_text(0, top + 1, frame.columns.barcode.width_mm, 10.5, row.code, f.body_bold)
        note = "(no barcode: code too long or not printable)"
        c.text(0, top + CODE_BASELINE_MM, note, f.small, color=DARK_GREY)
    else:
        c.text(frame.quiet_zone_mm, top + CODE_BASELINE_MM, row.code, f.code)
        paint_barcode(
            c.painter,
            pattern,
            left=0.0,
            top=c.mm(top + BAR_TOP_MM),
            module=frame.module_px,
            height=c.mm(BAR_HEIGHT_MM),
        )
    _write_in_boxes(frame, top, usable=row.status is None)
    c.line(0, top + ROW_MM, frame.width, top + ROW_MM, 0.15, MID_GREY)


def _write_in_boxes(frame: SheetFrame, top: float, *, usable: bool) -> None:
    """'Used' and 'Discarded' tick boxes and a box for initials, drawn in one call. A batch
    nobody may use gets its 'Used' box crossed out: there is nothing to tick there."""
    c, cols = frame.canvas, frame.col
    tick_top = top + (ROW_MM - TICK_BOX_MM) / 2 - 0.5
    rects = [
        c.rect_mm(cols[key].centre_mm - TICK_BOX_MM / 2, tick_top, TICK_BOX_MM, TICK_BOX_MM)
        for key in ("used", "discarded")
    ]
    initials_left = cols["initials"].centre_mm - INITIALS_BOX_MM / 2
    initials_top = top + (ROW_MM - INITIALS_HEIGHT_MM) / 2 - 0.5
    rects.append(c.rect_mm(initials_left, initials_top, INITIALS_BOX_MM, INITIALS_HEIGHT_MM))
    c.set_pen(BLACK, 0.25)
    c.painter.setBrush(WHITE)
    c.painter.drawRects(rects)
    if not usable:
        used = rects[0]
        c.painter.drawLines(
            [QLineF(used.topLeft(), used.bottomRight()), QLineF(used.topRight(), used.bottomLeft())]
        )


def none_row(frame: SheetFrame, top: float) -> None:
    frame.canvas.text(2, top + 6, "None", frame.fonts.note)
    frame.canvas.line(0, top + NONE_ROW_MM, frame.width, top + NONE_ROW_MM, 0.15, MID_GREY)
