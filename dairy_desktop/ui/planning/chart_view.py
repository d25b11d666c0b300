"""A widget that shows a Plan with the one chart painter the daily sheet uses too."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from dairy_desktop.domain.plan import Plan
from dairy_desktop.printing.plan_chart import ChartGeometry, paint_plan_chart

MARGIN_PX = 10


class PlanChartView(QWidget):
    """Paints its plan on a white card (the chart's greys are chosen for white paper), or
    nothing but the card until a plan is set. `geometry_drawn` is the last paint's layout."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planChart")
        self.plan: Plan | None = None
        self.geometry_drawn: ChartGeometry | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart of the litres expiring per day")

    def sizeHint(self) -> QSize:
        return QSize(860, 340)

    def minimumSizeHint(self) -> QSize:
        return QSize(420, 220)

    def set_plan(self, plan: Plan | None) -> None:
        self.plan = plan
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.fillRect(self.rect(), QColor("white"))
            if self.plan is None:
                return
            area = QRectF(self.rect()).adjusted(MARGIN_PX, MARGIN_PX, -MARGIN_PX, -MARGIN_PX)
            points = 9.0 if area.width() >= 700 else 8.0
            self.geometry_drawn = paint_plan_chart(painter, area, self.plan, font_points=points)
        finally:
            painter.end()
