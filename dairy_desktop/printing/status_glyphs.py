"""One shape per status, drawn by any QPainter: the window's icons and the printed sheet.

Every status has its own silhouette (octagon, triangle, clock, tick, ring, square, hourglass,
pause bars, "no entry" sign, diamond), so a colour-blind operator or a grey-scale printout
still tells them apart; colour only adds to it. The screen paints them in their colours, the
sheet in black. Here, not in ui/, because printing may not import the window's code.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF

from dairy_desktop.domain.status import BatchStatus

_OCTAGON = [(-0.41, -1), (0.41, -1), (1, -0.41), (1, 0.41), (0.41, 1), (-0.41, 1), (-1, 0.41)]
_OCTAGON.append((-1, -0.41))


def draw_status_glyph(
    painter: QPainter,
    status: BatchStatus,
    cell: QRectF,
    color: QColor,
    mark: QColor | None = None,
    outline: QColor | None = None,
) -> None:
    """Paint `status`'s shape in the square `cell`: filled with `color`, its inner mark in
    `mark` (default white); `outline`, if given, rings the diamond (recalled is near-black,
    and would vanish on a dark palette without it)."""
    size = cell.width()
    pad = size * 0.08
    box = cell.adjusted(pad, pad, -pad, -pad)
    pen = QPen(mark or QColor("white"), size * 0.13, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    _SHAPES[status](painter, box, size, color, pen, outline)
    painter.restore()


def _expired(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Octagon with a cross: "stop, remove"."""
    c, r = box.center(), box.width() / 2
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(c.x() + r * dx, c.y() + r * dy) for dx, dy in _OCTAGON]))
    p.drawPath(path)
    p.setPen(pen)
    d = r * 0.42
    p.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
    p.drawLine(QPointF(c.x() + d, c.y() - d), QPointF(c.x() - d, c.y() + d))


def _today(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Triangle with "!": "act today"."""
    c, r = box.center(), box.width() / 2
    p.drawPolygon(QPolygonF([QPointF(c.x(), box.top()), box.bottomRight(), box.bottomLeft()]))
    p.setPen(pen)
    p.drawLine(QPointF(c.x(), c.y() - r * 0.25), QPointF(c.x(), c.y() + r * 0.3))
    p.drawPoint(QPointF(c.x(), c.y() + r * 0.65))


def _near(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Clock face: "plan ahead"."""
    c, r = box.center(), box.width() / 2
    p.drawEllipse(box)
    p.setPen(pen)
    p.drawLine(c, QPointF(c.x(), c.y() - r * 0.6))
    p.drawLine(c, QPointF(c.x() + r * 0.45, c.y()))


def _fresh(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Tick in a disc."""
    c, r = box.center(), box.width() / 2
    p.drawEllipse(box)
    p.setPen(pen)
    tick = [(-0.45, 0.0), (-0.1, 0.38), (0.5, -0.35)]
    p.drawPolyline(QPolygonF([QPointF(c.x() + r * dx, c.y() + r * dy) for dx, dy in tick]))


def _empty(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Hollow ring: "nothing inside"."""
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(color, size * 0.14))
    inset = size * 0.07
    p.drawEllipse(box.adjusted(inset, inset, -inset, -inset))


def _deleted(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Rounded square with a minus."""
    c, r = box.center(), box.width() / 2
    p.drawRoundedRect(box, size * 0.15, size * 0.15)
    p.setPen(pen)
    p.drawLine(QPointF(c.x() - r * 0.5, c.y()), QPointF(c.x() + r * 0.5, c.y()))


def _pending(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Hourglass: "waiting for the lab"."""
    c = box.center()
    inset = box.width() * 0.12
    left, right = box.left() + inset, box.right() - inset
    p.drawPolygon(QPolygonF([QPointF(left, box.top()), QPointF(right, box.top()), c]))
    p.drawPolygon(QPolygonF([QPointF(left, box.bottom()), QPointF(right, box.bottom()), c]))
    bar = size * 0.1  # the glass's top and bottom rims
    p.drawRect(QRectF(box.left(), box.top(), box.width(), bar))
    p.drawRect(QRectF(box.left(), box.bottom() - bar, box.width(), bar))


def _held(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """Two pause bars: "stopped until released"."""
    width = box.width() * 0.32
    radius = size * 0.06
    p.drawRoundedRect(QRectF(box.left(), box.top(), width, box.height()), radius, radius)
    p.drawRoundedRect(QRectF(box.right() - width, box.top(), width, box.height()), radius, radius)


def _rejected(p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, _o: object) -> None:
    """ "No entry" ring with a slash: "never to be used"."""
    c, r = box.center(), box.width() / 2
    stroke = size * 0.16
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(color, stroke, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
    ring = r - stroke / 2
    p.drawEllipse(c, ring, ring)
    d = ring * 0.72
    p.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))


def _recalled(
    p: QPainter, box: QRectF, size: float, color: QColor, pen: QPen, outline: QColor | None
) -> None:
    """Diamond with "!": "recalled, find it and keep it apart"."""
    c, r = box.center(), box.width() / 2
    if outline is not None:
        p.setPen(QPen(outline, max(1.0, size * 0.05)))
    p.drawPolygon(
        QPolygonF(
            [
                QPointF(c.x(), c.y() - r),
                QPointF(c.x() + r, c.y()),
                QPointF(c.x(), c.y() + r),
                QPointF(c.x() - r, c.y()),
            ]
        )
    )
    p.setPen(pen)
    p.drawLine(QPointF(c.x(), c.y() - r * 0.45), QPointF(c.x(), c.y() + r * 0.1))
    p.drawPoint(QPointF(c.x(), c.y() + r * 0.42))


_SHAPES = {
    BatchStatus.EXPIRED: _expired,
    BatchStatus.EXPIRES_TODAY: _today,
    BatchStatus.NEAR_EXPIRY: _near,
    BatchStatus.FRESH: _fresh,
    BatchStatus.EMPTY: _empty,
    BatchStatus.DELETED: _deleted,
    BatchStatus.PENDING_QA: _pending,
    BatchStatus.ON_HOLD: _held,
    BatchStatus.REJECTED: _rejected,
    BatchStatus.RECALLED: _recalled,
}


def draw_warm_glyph(painter: QPainter, cell: QRectF, color: QColor) -> None:
    """A thermometer filled to the top: "received warmer than the plant's limit"."""
    size = cell.width()
    c = cell.center()
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    bulb = size * 0.22
    stem = size * 0.2
    bulb_centre = QPointF(c.x(), cell.bottom() - size * 0.08 - bulb)
    painter.drawEllipse(bulb_centre, bulb, bulb)
    top = cell.top() + size * 0.06
    painter.drawRoundedRect(
        QRectF(c.x() - stem / 2, top, stem, bulb_centre.y() - top), stem / 2, stem / 2
    )
    # Scale marks to the right: the shape reads as a thermometer, not a key.
    painter.setPen(QPen(color, max(1.0, size * 0.07)))
    for step in range(3):
        y = top + size * (0.12 + 0.14 * step)
        painter.drawLine(QPointF(c.x() + stem, y), QPointF(c.x() + stem + size * 0.16, y))
    painter.restore()
