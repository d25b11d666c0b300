"""The planning chart: one bar per plant day, available litres below, reserved stacked on top.

One QPainter function for every device: the Planning window paints it on a widget, the daily
sheet on its first page. No charting library: QtCharts is not in PySide6-Essentials and
would add megabytes to the bundle for one bar chart.

Grey-scale safe: available is a solid mid-grey fill, reserved is white with black diagonal
hatching and a black outline, so a black-and-white copy still tells them apart; the legend
says which is which in words. The hatching is drawn as lines spaced in millimetres (not a
Qt brush pattern, whose spacing is in device pixels and would turn into a grey smudge at
1,200 dpi). Sizes are millimetres, turned into the device's pixels here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.plan import Plan, PlanDay
from dairy_desktop.printing.paint_kit import BLACK, DARK_GREY, MM_PER_INCH, WHITE, make_font

AVAILABLE_FILL = QColor(128, 128, 128)
RESERVED_FILL = WHITE
HATCH_SPACING_MM = 1.1
CHART_TITLE = "Litres expiring per day"
LEGEND_AVAILABLE = "Available"
LEGEND_RESERVED = "Reserved (hatched)"
# Bars take this share of their day's slot; the rest is the gap between bars.
BAR_SHARE = 0.62
_NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True, slots=True)
class DayBar:
    """Where one day's bar was drawn (device pixels): for tests and hit-testing."""

    day: PlanDay
    available: QRectF
    reserved: QRectF
    label_x: float


@dataclass(frozen=True, slots=True)
class ChartGeometry:
    plot: QRectF
    axis_max_ml: int
    tick_ml: int
    bars: tuple[DayBar, ...]

    def bar_for(self, index: int) -> DayBar:
        return self.bars[index]


def nice_step(largest_ml: int, ticks: int = 4) -> int:
    """The round tick spacing (1, 2 or 5 × 10^k mL) giving at most `ticks` steps to the top."""
    if largest_ml <= 0:
        return 1_000
    magnitude = 1
    while True:
        for base in _NICE_STEPS:
            step = base * magnitude
            if step * ticks >= largest_ml:
                return step
        magnitude *= 10


def axis_label(milliliters: int) -> str:
    """'12,000 L', or '0.5 L' for small amounts: exact, never rounded to a wrong round number."""
    liters = from_milliliters(milliliters)
    if milliliters % 1000 == 0:
        return f"{int(liters):,} L"
    return f"{liters.normalize():,f} L"


def fat_labels(day: PlanDay) -> tuple[str, ...]:
    """The weighted fat % from the longest to the shortest form; the widest that fits is used."""
    if day.batches == 0:
        return ()
    if day.fat_percent is None:
        return ("—",)
    return (f"{day.fat_percent:f} %", f"{day.fat_percent:f}", f"{day.fat_percent:.1f}")


def day_labels(day: PlanDay) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """('Thu', 'Th', 'T') and ('12-04', '04'): the weekday to plan by, the date to check
    against; narrower forms for a month of bars."""
    weekday = f"{day.day:%a}"
    return (weekday, weekday[:2], weekday[:1]), (f"{day.day:%m-%d}", f"{day.day:%d}")


def not_released_labels(day: PlanDay) -> tuple[str, ...]:
    """Counted batches that may not be used yet: '2 held', '1 QA', '1 held 1 QA' (or '2!')."""
    if not day.not_released:
        return ()
    parts = [
        f"{day.on_hold} held" if day.on_hold else "",
        f"{day.awaiting_qa} QA" if day.awaiting_qa else "",
    ]
    return (" ".join(part for part in parts if part), f"{day.not_released}!")


def _fitted(metrics: QFontMetricsF, forms: tuple[str, ...], width: float) -> str:
    """The first (longest) form that fits `width`, else the shortest: never an ellipsis,
    which would turn 3.80 into '3…'."""
    for text in forms:
        if metrics.horizontalAdvance(text) <= width:
            return text
    return forms[-1] if forms else ""


class _Pens:
    def __init__(self, painter: QPainter) -> None:
        device = painter.device()
        dpi = float(device.logicalDpiX()) if device is not None else 96.0
        self.px_per_mm = dpi / MM_PER_INCH

    def mm(self, value: float) -> float:
        return value * self.px_per_mm

    def pen(
        self, color: QColor, width_mm: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine
    ) -> QPen:
        pen = QPen(color)
        pen.setWidthF(max(self.mm(width_mm), 1.0))
        pen.setStyle(style)
        return pen


def paint_plan_chart(
    painter: QPainter, area: QRectF, plan: Plan, *, font_points: float = 7.0
) -> ChartGeometry:
    """Paint `plan` into `area` (device pixels) and return where each bar went."""
    units = _Pens(painter)
    small = make_font(font_points)
    bold = make_font(font_points, bold=True)
    metrics = QFontMetricsF(small, painter.device())
    line = metrics.height()
    step = nice_step(plan.largest_ml)
    axis_max = max(step, -(-plan.largest_ml // step) * step)
    axis_width = max(
        metrics.horizontalAdvance(axis_label(axis_max)), metrics.horizontalAdvance("0 L")
    )
    label_lines = 3 if any(day.not_released for day in plan.days) else 2
    plot = QRectF(
        area.left() + axis_width + units.mm(1.5),
        area.top() + 2.4 * line,  # the title and legend line, then the fat % over the tallest bar
        area.width() - axis_width - units.mm(2.0),
        area.height() - (2.4 + label_lines + 0.4) * line,
    )
    painter.save()
    try:
        _title_and_legend(painter, units, area, bold, small, line)
        _axis(painter, units, plot, small, metrics, step, axis_max)
        bars = _bars(painter, units, plot, plan, axis_max, small, bold, metrics, line)
        if plan.total_ml == 0:
            painter.setFont(small)
            painter.setPen(DARK_GREY)
            painter.drawText(
                plot, int(Qt.AlignmentFlag.AlignCenter), "No milk expires on these days."
            )
    finally:
        painter.restore()
    return ChartGeometry(plot, axis_max, step, tuple(bars))


def _title_and_legend(
    painter: QPainter, units: _Pens, area: QRectF, bold: QFont, small: QFont, line: float
) -> None:
    baseline = area.top() + line * 0.85
    painter.setFont(bold)
    painter.setPen(BLACK)
    painter.drawText(QPointF(area.left(), baseline), CHART_TITLE)
    x = (
        area.left()
        + QFontMetricsF(bold, painter.device()).horizontalAdvance(CHART_TITLE)
        + units.mm(4)
    )
    swatch = units.mm(3.2)
    metrics = QFontMetricsF(small, painter.device())
    for text, reserved in ((LEGEND_AVAILABLE, False), (LEGEND_RESERVED, True)):
        box = QRectF(x, baseline - swatch * 0.85, swatch, swatch * 0.85)
        _fill(painter, units, box, reserved=reserved)
        painter.setFont(small)
        painter.setPen(BLACK)
        painter.drawText(QPointF(box.right() + units.mm(1.2), baseline), text)
        x = box.right() + units.mm(1.2) + metrics.horizontalAdvance(text) + units.mm(4)
    painter.setPen(DARK_GREY)
    painter.drawText(QPointF(x, baseline), "Fat % (weighted by litres) over each bar")


def _axis(
    painter: QPainter,
    units: _Pens,
    plot: QRectF,
    small: QFont,
    metrics: QFontMetricsF,
    step: int,
    axis_max: int,
) -> None:
    painter.setFont(small)
    grid = units.pen(QColor(190, 190, 190), 0.15, Qt.PenStyle.DotLine)
    for value in range(0, axis_max + 1, step):
        y = plot.bottom() - plot.height() * value / axis_max
        painter.setPen(grid if value else units.pen(BLACK, 0.3))
        painter.drawLine(QLineF(plot.left(), y, plot.right(), y))
        text = axis_label(value)
        painter.setPen(BLACK)
        width = metrics.horizontalAdvance(text)
        painter.drawText(
            QPointF(plot.left() - units.mm(1.0) - width, y + metrics.ascent() * 0.35), text
        )
    painter.setPen(units.pen(BLACK, 0.3))
    painter.drawLine(QLineF(plot.left(), plot.top(), plot.left(), plot.bottom()))


def _bars(
    painter: QPainter,
    units: _Pens,
    plot: QRectF,
    plan: Plan,
    axis_max: int,
    small: QFont,
    bold: QFont,
    metrics: QFontMetricsF,
    line: float,
) -> list[DayBar]:
    count = max(len(plan.days), 1)
    slot = plot.width() / count
    width = slot * BAR_SHARE
    scale = plot.height() / axis_max
    bars: list[DayBar] = []
    bold_metrics = QFontMetricsF(bold, painter.device())
    for index, day in enumerate(plan.days):
        centre = plot.left() + slot * (index + 0.5)
        left = centre - width / 2
        available_h = day.available_ml * scale
        reserved_h = day.reserved_ml * scale
        available = QRectF(left, plot.bottom() - available_h, width, available_h)
        reserved = QRectF(left, available.top() - reserved_h, width, reserved_h)
        if available_h > 0:
            _fill(painter, units, available, reserved=False)
        if reserved_h > 0:
            _fill(painter, units, reserved, reserved=True)
        shown = _fitted(bold_metrics, fat_labels(day), slot * 0.96)
        if shown:
            painter.setFont(bold)
            painter.setPen(BLACK)
            top = min(available.top(), reserved.top()) if reserved_h > 0 else available.top()
            x = centre - bold_metrics.horizontalAdvance(shown) / 2
            painter.drawText(QPointF(x, top - units.mm(0.8)), shown)
        painter.setFont(small)
        painter.setPen(BLACK)
        for number, forms in enumerate([*day_labels(day), not_released_labels(day)]):
            shown = _fitted(metrics, forms, slot * 0.96)
            if not shown:
                continue
            baseline = plot.bottom() + line * (number + 1)
            painter.drawText(
                QPointF(centre - metrics.horizontalAdvance(shown) / 2, baseline), shown
            )
        bars.append(DayBar(day, available, reserved, centre))
    return bars


def _fill(painter: QPainter, units: _Pens, box: QRectF, *, reserved: bool) -> None:
    """Available: solid grey. Reserved: white, hatched with black diagonals, outlined."""
    painter.save()
    if not reserved:
        painter.setPen(units.pen(BLACK, 0.2))
        painter.setBrush(AVAILABLE_FILL)
        painter.drawRect(box)
        painter.restore()
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(RESERVED_FILL)
    painter.drawRect(box)
    painter.setClipRect(box, Qt.ClipOperation.IntersectClip)
    painter.setPen(units.pen(BLACK, 0.25))
    spacing = units.mm(HATCH_SPACING_MM)
    lines = []
    offset = -box.height()
    while offset < box.width():
        x = box.left() + offset
        lines.append(QLineF(x, box.bottom(), x + box.height(), box.top()))
        offset += spacing
    painter.drawLines(lines)
    painter.setClipping(False)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(units.pen(BLACK, 0.3))
    painter.drawRect(box)
    painter.restore()
