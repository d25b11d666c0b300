"""The sheet's page furniture: first-page header, continuation header, sign-off, footer."""

from __future__ import annotations

from dairy_desktop.printing.paint_kit import BLACK, DARK_GREY, MID_GREY, Align
from dairy_desktop.printing.sheet.data import DailySheet, SheetSection
from dairy_desktop.printing.sheet.frame import BANDS, SheetFrame
from dairy_desktop.printing.sheet.layout import CONTINUED_HEADER_MM, FIRST_HEADER_MM
from dairy_desktop.printing.text_format import batches_text, liters_text

NOTE_BASELINE_MM = 25.6
SUMMARY_TOP_MM = 27.5
SUMMARY_HEIGHT_MM = 13.6


def first_header(frame: SheetFrame, top: float) -> None:
    """Plant, title and date, who printed it when and where, and every section's totals."""
    c, f, sheet, w = frame.canvas, frame.fonts, frame.sheet, frame.width
    c.fitted_text(0, top + 5, w, sheet.plant_name, f.heading)
    c.text(0, top + 12.5, f"{sheet.title} · {sheet.sheet_date_text}", f.title)
    horizon = f"Plan horizon: {sheet.days} {'day' if sheet.days == 1 else 'days'}"
    c.text(w, top + 12.5, horizon, f.body, Align.RIGHT)
    c.fitted_text(0, top + 18, w * 0.62, f"{frame.generated_text}.", f.body)
    c.text(
        w, top + 18, f"Remaining litres as of {sheet.generated_at_text}", f.body_bold, Align.RIGHT
    )
    c.text(0, top + 21.8, f"Times are local ({sheet.zone_name}).", f.small, color=DARK_GREY)
    c.text(w, top + 21.8, sections_text(sheet), f.small, Align.RIGHT, color=DARK_GREY)
    c.fitted_text(0, top + NOTE_BASELINE_MM, w * 0.55, sheet.temperature_note, f.small)
    c.text(w, top + NOTE_BASELINE_MM, usable_text(sheet), f.small_bold, Align.RIGHT)
    gap = 3.0
    count = len(sheet.sections)
    box_w = (w - (count - 1) * gap) / count
    for index, section in enumerate(sheet.sections):
        _summary_box(frame, section, index * (box_w + gap), top + SUMMARY_TOP_MM, box_w)
    c.line(0, FIRST_HEADER_MM - 1.2, w, FIRST_HEADER_MM - 1.2, 0.4, BLACK)


def sections_text(sheet: DailySheet) -> str:
    """The moment the sections stand for: what had expired by then is under "Expired"."""
    return f"Sections as of {sheet.sections_at_text}: milk expired by then is under Expired."


def usable_text(sheet: DailySheet) -> str:
    """The litres that may be used: never those on hold, rejected, recalled or awaiting QA."""
    return f"Usable (today and plan): {liters_text(sheet.usable_liters)}"


def _summary_box(frame: SheetFrame, section: SheetSection, x: float, y: float, w: float) -> None:
    """Five abreast: the short title, then the count and the litres on lines of their own."""
    c, f, band = frame.canvas, frame.fonts, BANDS[section.kind]
    c.box(
        x,
        y,
        w,
        SUMMARY_HEIGHT_MM,
        fill=band.fill,
        outline=band.outline,
        outline_mm=0.35,
        dashed=band.dashed,
    )
    title = section.short_title or section.title
    c.fitted_text(x + 2, y + 4.2, w - 4, title, f.small_bold, color=band.text)
    count = batches_text(section.batch_count)
    c.fitted_text(x + 2, y + 8.4, w - 4, count, f.body_bold, color=band.text)
    litres = liters_text(section.total_liters)
    c.fitted_text(x + 2, y + 12.4, w - 4, litres, f.body_bold, color=band.text)


def continued_header(frame: SheetFrame, top: float) -> None:
    c, f, sheet, w = frame.canvas, frame.fonts, frame.sheet, frame.width
    c.text(0, top + 5, f"{sheet.title} · {sheet.sheet_date_text} (continued)", f.body_bold)
    c.fitted_text(w * 0.55, top + 5, w * 0.45, sheet.plant_name, f.small, Align.RIGHT)
    c.line(0, CONTINUED_HEADER_MM - 3.5, w, CONTINUED_HEADER_MM - 3.5, 0.3, BLACK)


def sign_off(frame: SheetFrame, top: float) -> None:
    """Lines to write on once the floor has been walked."""
    gap = 6.0
    field_w = (frame.width - 2 * gap) / 3
    frame.canvas.text(0, top + 10, "Sign-off", frame.fonts.heading)
    for index, label in enumerate(("Checked by", "Signature", "Time")):
        _write_in_line(frame, index * (field_w + gap), top + 21, field_w, label)
    _write_in_line(frame, 0, top + 32, frame.width, "Notes")


def _write_in_line(frame: SheetFrame, x: float, baseline: float, width: float, label: str) -> None:
    c, font = frame.canvas, frame.fonts.body_bold
    c.text(x, baseline, label, font)
    start = x + c.text_width_mm(font, label) + 2
    c.line(start, baseline + 0.5, x + width, baseline + 0.5, 0.3, BLACK)


def footer(frame: SheetFrame, page: int, pages: int) -> None:
    c, f, w, h, sheet = frame.canvas, frame.fonts, frame.width, frame.height, frame.sheet
    c.line(0, h - 6.5, w, h - 6.5, 0.25, MID_GREY)
    text = (
        f"{sheet.title} {sheet.sheet_date.isoformat()} · generated "
        f"{sheet.generated_at_text} by {sheet.generated_by} on {sheet.workstation}"
    )
    c.fitted_text(0, h - 2.2, w * 0.8, text, f.small, color=DARK_GREY)
    c.text(w, h - 2.0, f"Page {page} of {pages}", f.page_number, Align.RIGHT)
