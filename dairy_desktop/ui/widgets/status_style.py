"""How each status looks: a tint, an icon and a word, so colour is never the only signal.

Tints are blended into the palette's base colour, so they read on light and dark themes.
The icons' shapes (printing.status_glyphs) differ as much as their colours do: a grey-scale
screenshot or a colour-blind operator still tells "on hold" (pause bars) from "rejected"
("no entry" sign) from "recalled" (diamond).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPalette, QPixmap

from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.printing.status_glyphs import draw_status_glyph, draw_warm_glyph

STATUS_COLORS: dict[BatchStatus, QColor] = {
    BatchStatus.EXPIRED: QColor("#d32f2f"),
    BatchStatus.EXPIRES_TODAY: QColor("#ef6c00"),
    BatchStatus.NEAR_EXPIRY: QColor("#f9a825"),
    BatchStatus.FRESH: QColor("#2e7d32"),
    BatchStatus.EMPTY: QColor("#757575"),
    BatchStatus.DELETED: QColor("#9e9e9e"),
    # Blue and purple stay apart from the red–green axis most colour-blind eyes confuse.
    BatchStatus.PENDING_QA: QColor("#1976d2"),
    BatchStatus.ON_HOLD: QColor("#7b1fa2"),
    BatchStatus.REJECTED: QColor("#ad1457"),
    BatchStatus.RECALLED: QColor("#3e2723"),
}

# Lighter icon colours for a dark palette: purple, crimson and red at their light-theme
# strength are darker than a grey-scale eye can tell from a dark row.
_DARK_ICON_COLORS = {
    BatchStatus.PENDING_QA: QColor("#64b5f6"),
    BatchStatus.ON_HOLD: QColor("#ce93d8"),
    BatchStatus.REJECTED: QColor("#f06292"),
}

# Row tints where the icon's own colour would not do: recalled's near-black icon would tint a
# dark palette's rows into nothing, so its rows lean to a brown that shows on both.
_TINT_COLORS = {BatchStatus.RECALLED: QColor("#795548")}

_TINT_STRENGTH = {
    BatchStatus.EXPIRED: 0.38,
    BatchStatus.EXPIRES_TODAY: 0.36,
    BatchStatus.NEAR_EXPIRY: 0.34,
    BatchStatus.FRESH: 0.0,  # fresh needs no attention: no tint, just the icon and word
    BatchStatus.EMPTY: 0.22,
    BatchStatus.DELETED: 0.22,
    BatchStatus.PENDING_QA: 0.24,
    BatchStatus.ON_HOLD: 0.3,
    BatchStatus.REJECTED: 0.34,
    BatchStatus.RECALLED: 0.4,
}

STATUS_HINTS: dict[BatchStatus, str] = {
    BatchStatus.EXPIRED: "Past its expiry: remove and discard",
    BatchStatus.EXPIRES_TODAY: "Expires before the end of today: use first",
    BatchStatus.NEAR_EXPIRY: "Expires within the near-expiry horizon: plan its use",
    BatchStatus.FRESH: "Fresh",
    BatchStatus.EMPTY: "Nothing left",
    BatchStatus.DELETED: "Deleted (can be restored)",
    BatchStatus.PENDING_QA: "Awaiting the lab's QA release: do not use yet",
    BatchStatus.ON_HOLD: "On hold: do not use until it is released",
    BatchStatus.REJECTED: "Rejected by QA: never to be used, only disposed of",
    BatchStatus.RECALLED: "Recalled: do not use; keep it apart and dispose of it",
}

WARM_COLOR = QColor("#c62828")
WARM_COLOR_DARK = QColor("#ef5350")
# Inner marks are white, except on yellow: white hands on a yellow disc vanish in grey scale.
_MARKS = {BatchStatus.NEAR_EXPIRY: QColor("#3e2723")}
# The recalled diamond's rim: near-black on a dark palette needs an edge to be seen.
_RECALLED_RIM = QColor("#bdbdbd")


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
            tint = _TINT_COLORS.get(status, color)
            self.background[status] = QBrush(_blend(base, tint, strength)) if strength else None
        muted = _blend(text, base, 0.45)
        self.foreground: dict[BatchStatus, QBrush] = {
            status: QBrush(muted if status in (BatchStatus.EMPTY, BatchStatus.DELETED) else text)
            for status in BatchStatus
        }
        self.struck = QFont(base_font) if base_font else QFont()
        self.struck.setStrikeOut(True)
        # A warm load's temperature: bold as well as its icon, so it reads without colour.
        self.warm = QFont(base_font) if base_font else QFont()
        self.warm.setBold(True)

    def icon(self, status: BatchStatus) -> QIcon:
        return status_icon(status, dark=self.dark)

    def warm_icon(self) -> QIcon:
        return warm_icon(dark=self.dark)


_ICON_SIZES = (16, 24, 32, 48)


def _painted_icon(paint: Callable[[QPainter, QRectF], None]) -> QIcon:
    icon = QIcon()
    for size in _ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint(painter, QRectF(0, 0, size, size))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@functools.cache
def status_icon(status: BatchStatus, *, dark: bool = False) -> QIcon:
    rim = _RECALLED_RIM if status is BatchStatus.RECALLED else None
    color = _DARK_ICON_COLORS.get(status, STATUS_COLORS[status]) if dark else STATUS_COLORS[status]
    return _painted_icon(
        lambda painter, cell: draw_status_glyph(
            painter, status, cell, color, _MARKS.get(status), outline=rim
        )
    )


@functools.cache
def warm_icon(*, dark: bool = False) -> QIcon:
    """The receipt temperature is above the plant's limit."""
    color = WARM_COLOR_DARK if dark else WARM_COLOR
    return _painted_icon(lambda painter, cell: draw_warm_glyph(painter, cell, color))
