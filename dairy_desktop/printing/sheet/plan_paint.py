"""The sheet's planning blocks: page 1's chart, and the "Reservations at risk" section."""

from __future__ import annotations

from PySide6.QtGui import QColor

from dairy_desktop.printing.paint_kit import BLACK, DARK_GREY, MID_GREY, WHITE, Align
from dairy_desktop.printing.plan_chart import CHART_TITLE, paint_plan_chart
from dairy_desktop.printing.sheet.at_risk import AT_RISK_TITLE, AtRiskRow
from dairy_desktop.printing.sheet.frame import SheetFrame
from dairy_desktop.printing.sheet.layout import (
    COLUMN_HEADINGS_MM,
    PLAN_CHART_MM,
    RISK_ROW_MM,
    SECTION_HEADING_MM,
)

CHART_FONT_POINTS = 6.5
CAPTION_MM = 4.0
# Dark like "do not use": a reservation at risk is something to act on today.
RISK_FILL = QColor(90, 90, 90)
# Left edges of the at-risk columns, as shares of the line; litres are right-aligned.
_RISK_COLUMNS = (
    ("Order", 0.0),
    ("Batch", 0.21),
    ("Reserved", 0.50),
    ("Planned for", 0.52),
    ("Batch expires", 0.655),
    ("Why", 0.795),
)


def plan_chart_block(frame: SheetFrame, top: float) -> None:
    """The chart of the sheet's days, then one line on what it counts and what is at risk;
    a single line when no milk expires in those days."""
    c, f, sheet = frame.canvas, frame.fonts, frame.sheet
    if sheet.plan is None:
        return
    if not sheet.plan.total_ml:
        c.text(0, top + 4.0, f"{CHART_TITLE}: no milk expires on these days.", f.body_bold)
        c.fitted_text(0, top + 7.2, frame.width, caption(frame), f.small, color=DARK_GREY)
        return
    area = c.rect_mm(0, top + 1.0, frame.width, PLAN_CHART_MM - CAPTION_MM - 2.0)
    paint_plan_chart(c.painter, area, sheet.plan, font_points=CHART_FONT_POINTS)
    baseline = top + PLAN_CHART_MM - 1.6
    c.fitted_text(0, baseline, frame.width, caption(frame), f.small, color=DARK_GREY)


def caption(frame: SheetFrame) -> str:
    sheet = frame.sheet
    counted = "Held and awaiting-QA batches are counted (marked under the date)."
    if sheet.reservation_count == 0:
        return counted
    risky = len(sheet.at_risk)
    if risky == 0:
        return f"{counted} No reservation is at risk."
    noun = "reservation" if risky == 1 else "reservations"
    return f"{counted} {risky} {noun} at risk: see the list after the last section."


def risk_heading(frame: SheetFrame, top: float, *, continued: bool) -> None:
    c, f, w = frame.canvas, frame.fonts, frame.width
    c.box(0, top, w, SECTION_HEADING_MM, fill=RISK_FILL, outline=BLACK, outline_mm=0.4)
    title = f"{AT_RISK_TITLE} (continued)" if continued else AT_RISK_TITLE
    c.text(2, top + 5.6, title, f.heading, color=WHITE)
    count = len(frame.sheet.at_risk)
    c.text(
        w - 2,
        top + 5.6,
        f"{count} {'order line' if count == 1 else 'order lines'}",
        f.heading,
        Align.RIGHT,
        WHITE,
    )


def risk_columns(frame: SheetFrame, top: float) -> None:
    c, font, w = frame.canvas, frame.fonts.small_bold, frame.width
    baseline = top + COLUMN_HEADINGS_MM - 1.6
    for title, share in _RISK_COLUMNS:
        align = Align.RIGHT if title == "Reserved" else Align.LEFT
        c.text(w * share, baseline, title, font, align, DARK_GREY)
    c.line(0, top + COLUMN_HEADINGS_MM, w, top + COLUMN_HEADINGS_MM, 0.25, BLACK)


def risk_row(frame: SheetFrame, top: float, row: AtRiskRow) -> None:
    c, f, w = frame.canvas, frame.fonts, frame.width
    baseline = top + RISK_ROW_MM - 1.8
    shares = [share for _, share in _RISK_COLUMNS]
    c.fitted_text(0, baseline, w * shares[1] - 2, row.order_id, f.body_bold)
    c.fitted_text(w * shares[1], baseline, w * (shares[2] - shares[1]) - 20, row.batch_code, f.body)
    c.text(w * shares[2], baseline, row.liters_text, f.body_bold, Align.RIGHT)
    c.text(w * shares[3], baseline, row.planned_text, f.body)
    c.text(w * shares[4], baseline, row.expires_text, f.body)
    c.fitted_text(w * shares[5], baseline, w * (1 - shares[5]), row.why, f.body)
    c.line(0, top + RISK_ROW_MM, w, top + RISK_ROW_MM, 0.15, MID_GREY)
