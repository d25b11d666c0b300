"""How each status looks: a tint, an icon and a word, so colour is never the only signal.

Tints are blended into the palette's base colour, so they read on light and dark themes.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)

from dairy_desktop.domain.status import BatchStatus

STATUS_COLORS: dict[BatchStatus, QColor] = {
    BatchStatus.EXPIRED: QColor("#d32f2f"),
    BatchStatus.EXPIRES_TODAY: QColor("#ef6c00"),
    BatchStatus.NEAR_EXPIRY: QColor("#f9a825"),
    BatchStatus.FRESH: QColor("#2e7d32"),
    BatchStatus.EMPTY: QColor("#757575"),
    BatchStatus.DELETED: QColor("#9e9e9e"),
}

_TINT_STRENGTH = {
    BatchStatus.EXPIRED: 0.38,
    BatchStatus.EXPIRES_TODAY: 0.36,
    BatchStatus.NEAR_EXPIRY: 0.34,
    BatchStatus.FRESH: 0.0,  # fresh needs no attention: no tint, just the icon and word
    BatchStatus.EMPTY: 0.22,
    BatchStatus.DELETED: 0.22,
}

STATUS_HINTS: dict[BatchStatus, str] = {
    BatchStatus.EXPIRED: "Past its expiry: remove and discard",
    BatchStatus.EXPIRES_TODAY: "Expires before the end of today: use first",
    BatchStatus.NEAR_EXPIRY: "Expires within the near-expiry horizon: plan its use",
    BatchStatus.FRESH: "Fresh",
    BatchStatus.EMPTY: "Nothing left",
    BatchStatus.DELETED: "Deleted (can be restored)",
}


def _blend(base: QColor, tint: QColor, strength: float) -> QColor:
    return QColor(
        round(base.red() + (tint.red() - base.red()) * strength),
        round(base.green() + (tint.green() - base.green()) * strength),
        round(base.blue() + (tint.blue() - base.blue()) * strength),
    )


class StatusStyle:
    """Brushes, icons and fonts per status for one palette; rebuild on palette change."""

    def __init__(self, palette: QPalette, base_font: QFont | None = None) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.dark = base.lightness() < 128
        self.background: dict[BatchStatus, QBrush | None] = {}
        for status, color in STATUS_COLORS.items():
            strength = _TINT_STRENGTH[status] * (1.25 if self.dark else 1.0)
            self.background[status] = QBrush(_blend(base, color, strength)) if strength else None
        muted = _blend(text, base, 0.45)
        self.foreground: dict[BatchStatus, QBrush] = {
            status: QBrush(muted if status in (BatchStatus.EMPTY, BatchStatus.DELETED) else text)
            for status in BatchStatus
        }
        self.struck = QFont(base_font) if base_font else QFont()
        self.struck.setStrikeOut(True)

    @staticmethod
    def icon(status: BatchStatus) -> QIcon:
        return status_icon(status)


def _draw_glyph(painter: QPainter, status: BatchStatus, size: int) -> None:
    color = STATUS_COLORS[status]
    pad = size * 0.08
    box = QRectF(pad, pad, size - 2 * pad, size - 2 * pad)
    white = QPen(QColor("white"), size * 0.13, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    c, r = box.center(), box.width() / 2
    if status == BatchStatus.EXPIRED:  # octagon with a cross: "stop, remove"
        path = QPainterPath()
        points = [
            QPointF(c.x() + r * dx, c.y() + r * dy)
            for dx, dy in [
                (-0.41, -1),
                (0.41, -1),
                (1, -0.41),
                (1, 0.41),
                (0.41, 1),
                (-0.41, 1),
                (-1, 0.41),
                (-1, -0.41),
            ]
        ]
        path.addPolygon(QPolygonF(points))
        painter.drawPath(path)
        painter.setPen(white)
        d = r * 0.42
        painter.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
        painter.drawLine(QPointF(c.x() + d, c.y() - d), QPointF(c.x() - d, c.y() + d))
    elif status == BatchStatus.EXPIRES_TODAY:  # triangle with "!": "act today"
        painter.drawPolygon(
            QPolygonF([QPointF(c.x(), box.top()), box.bottomRight(), box.bottomLeft()])
        )
        painter.setPen(white)
        painter.drawLine(QPointF(c.x(), c.y() - r * 0.25), QPointF(c.x(), c.y() + r * 0.3))
        painter.drawPoint(QPointF(c.x(), c.y() + r * 0.65))
    elif status == BatchStatus.NEAR_EXPIRY:  # clock face: "plan ahead"
        painter.drawEllipse(box)
        painter.setPen(white)
        painter.drawLine(c, QPointF(c.x(), c.y() - r * 0.6))
        painter.drawLine(c, QPointF(c.x() + r * 0.45, c.y()))
    elif status == BatchStatus.FRESH:  # tick
        painter.drawEllipse(box)
        painter.setPen(white)
        painter.drawPolyline(
            QPolygonF(
                [
                    QPointF(c.x() - r * 0.45, c.y()),
                    QPointF(c.x() - r * 0.1, c.y() + r * 0.38),
                    QPointF(c.x() + r * 0.5, c.y() - r * 0.35),
                ]
            )
        )
    elif status == BatchStatus.EMPTY:  # hollow ring: "nothing inside"
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(color, size * 0.14))
        painter.drawEllipse(box.adjusted(size * 0.07, size * 0.07, -size * 0.07, -size * 0.07))
    else:  # deleted: grey square with a minus
        painter.drawRoundedRect(box, size * 0.15, size * 0.15)
        painter.setPen(white)
        painter.drawLine(QPointF(c.x() - r * 0.5, c.y()), QPointF(c.x() + r * 0.5, c.y()))


@functools.cache
def status_icon(status: BatchStatus) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        _draw_glyph(painter, status, size)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
