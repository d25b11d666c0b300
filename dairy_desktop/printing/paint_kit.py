"""Small drawing helpers shared by the sheet and the label: millimetres, fonts, text.

Everything is positioned in millimetres from the top-left of the printable area and turned
into device pixels here, so the same code paints a 1200 dpi PDF and a 600 dpi printer.
"""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

MM_PER_INCH = 25.4
# Sans-serif faces found on office PCs first; DejaVu is the usual one on Linux.
FONT_FAMILIES = ["Arial", "Helvetica", "Liberation Sans", "DejaVu Sans"]
BLACK = QColor(0, 0, 0)
WHITE = QColor(255, 255, 255)
DARK_GREY = QColor(70, 70, 70)
MID_GREY = QColor(150, 150, 150)
LIGHT_GREY = QColor(215, 215, 215)


class Align(Enum):
    LEFT = auto()
    CENTER = auto()
    RIGHT = auto()


def make_font(point_size: float, *, bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    font.setItalic(italic)
    # No "ﬁ"/"ﬂ" ligatures: they would make "first" unsearchable in the PDF's text.
    font.setFeature(QFont.Tag("liga"), 0)
    return font


class Canvas:
    """A QPainter plus the device's pixels per millimetre."""

    def __init__(self, painter: QPainter, device: QPaintDevice) -> None:
        self.painter = painter
        self.device = device
        self.dpi = float(device.logicalDpiX())
        self.px_per_mm = self.dpi / MM_PER_INCH
        # Keyed by id() for speed; the entry keeps the font alive so its id cannot be reused.
        self._fonts: dict[int, tuple[QFont, QFontMetricsF]] = {}
        self._current_font: QFont | None = None
        self._text_pen: int | None = None

    def mm(self, value: float) -> float:
        return value * self.px_per_mm

    def metrics(self, font: QFont) -> QFontMetricsF:
        found = self._fonts.get(id(font))
        if found is None:
            found = self._fonts[id(font)] = (font, QFontMetricsF(font, self.device))
        return found[1]

    def text_width_mm(self, font: QFont, text: str) -> float:
        return self.metrics(font).horizontalAdvance(text) / self.px_per_mm

    def use_font(self, font: QFont) -> None:
        # setFont on a PDF painter is not free; skip it when the font is already set.
        if self._current_font is not font:
            self.painter.setFont(font)
            self._current_font = font

    def text(
        self,
        x_mm: float,
        baseline_mm: float,
        text: str,
        font: QFont,
        align: Align = Align.LEFT,
        color: QColor = BLACK,
    ) -> None:
        """Draw one line; x is the left edge, centre or right edge as `align` says."""
        self.use_font(font)
        x = self.mm(x_mm)
        if align is not Align.LEFT:
            width = self.metrics(font).horizontalAdvance(text)
            x -= width if align is Align.RIGHT else width / 2
        if self._text_pen != color.rgba():
            self.painter.setPen(color)
            self._text_pen = color.rgba()
        self.painter.drawText(QPointF(x, self.mm(baseline_mm)), text)

    def fitted_text(
        self,
        x_mm: float,
        baseline_mm: float,
        width_mm: float,
        text: str,
        font: QFont,
        align: Align = Align.LEFT,
        color: QColor = BLACK,
    ) -> None:
        """Like text(), but a line wider than `width_mm` is cut with an ellipsis."""
        shown = self.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, self.mm(width_mm))
        anchor = {Align.LEFT: x_mm, Align.CENTER: x_mm + width_mm / 2, Align.RIGHT: x_mm + width_mm}
        self.text(anchor[align], baseline_mm, shown, font, align, color)

    def wrapped_text(
        self, x_mm: float, y_mm: float, w_mm: float, h_mm: float, text: str, font: QFont
    ) -> None:
        """Text broken anywhere to fit a box (slow: only for rare, long values)."""
        self.use_font(font)
        self.painter.setPen(BLACK)
        self._text_pen = BLACK.rgba()
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        self.painter.drawText(
            self.rect_mm(x_mm, y_mm, w_mm, h_mm), int(flags | Qt.TextFlag.TextWrapAnywhere), text
        )

    def set_pen(self, color: QColor | None, width_mm: float = 0.3, *, dashed: bool = False) -> None:
        """Outline pen for lines and boxes; None for no outline."""
        self._text_pen = None
        if color is None:
            self.painter.setPen(Qt.PenStyle.NoPen)
            return
        pen = QPen(color)
        pen.setWidthF(self.mm(width_mm))
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.painter.setPen(pen)

    def line(
        self, x1_mm: float, y1_mm: float, x2_mm: float, y2_mm: float, width_mm: float, color: QColor
    ) -> None:
        self._text_pen = None
        pen = QPen(color)
        pen.setWidthF(self.mm(width_mm))
        self.painter.setPen(pen)
        self.painter.drawLine(
            QLineF(self.mm(x1_mm), self.mm(y1_mm), self.mm(x2_mm), self.mm(y2_mm))
        )

    def rect_mm(self, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> QRectF:
        return QRectF(self.mm(x_mm), self.mm(y_mm), self.mm(w_mm), self.mm(h_mm))

    def box(
        self,
        x_mm: float,
        y_mm: float,
        w_mm: float,
        h_mm: float,
        *,
        fill: QColor | None = None,
        outline: QColor | None = None,
        outline_mm: float = 0.3,
        dashed: bool = False,
    ) -> None:
        self.set_pen(outline, outline_mm, dashed=dashed)
        if fill is None:
            self.painter.setBrush(Qt.BrushStyle.NoBrush)
        else:
            self.painter.setBrush(fill)
        self.painter.drawRect(self.rect_mm(x_mm, y_mm, w_mm, h_mm))
