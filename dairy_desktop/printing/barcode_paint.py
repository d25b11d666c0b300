"""Draw a barcode pattern as vector rectangles: sharp on any printer, at any resolution."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from dairy_desktop.barcodes.code128 import QUIET_ZONE_MODULES

MM_PER_INCH = 25.4
# 0.25 mm (about 10 mil) is the narrowest bar a handheld scanner reads reliably from paper.
MIN_MODULE_MM = 0.25
_BARS = re.compile("1+")


def module_px(dpi: float, minimum_mm: float = MIN_MODULE_MM) -> float:
    """Module width in device pixels: whole pixels, never narrower than `minimum_mm`.

    Whole pixels keep every bar of one width equally wide on a raster printer; a width like
    5.9 pixels would print some bars 5 and some 6 dots wide and hurt the scan.
    """
    return float(math.ceil(minimum_mm * dpi / MM_PER_INCH - 1e-6))


@lru_cache(maxsize=4096)
def _bar(start: float, width: float, height: float) -> QRectF:
    # Rows share module and bar height, so one bar position recurs on every row; reusing
    # the rectangle saves most of the time of building ~50 of them per barcode.
    return QRectF(start, 0.0, width, height)


def bar_rects(pattern: str, *, module: float, height: float) -> list[QRectF]:
    """One rectangle per run of bar modules, relative to the end of the left quiet zone."""
    return [
        _bar(bar.start() * module, (bar.end() - bar.start()) * module, height)
        for bar in _BARS.finditer(pattern)
    ]


def paint_barcode(
    painter: QPainter, pattern: str, *, left: float, top: float, module: float, height: float
) -> None:
    """Fill the bars in black, no outline (a pen would widen every bar).

    `left` is where the left quiet zone begins; it is rounded to a whole device pixel so
    every bar edge falls on one.
    """
    painter.save()
    painter.translate(round(left) + QUIET_ZONE_MODULES * module, top)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(Qt.GlobalColor.black)
    painter.drawRects(bar_rects(pattern, module=module, height=height))
    painter.restore()


def fitting_module_px(
    available_px: float, width_modules: int, dpi: float, *, largest_mm: float
) -> float | None:
    """The widest whole-pixel module (at most `largest_mm`) that fits, or None if even the
    narrowest readable module is too wide for the room."""
    narrowest = module_px(dpi)
    widest = max(narrowest, math.floor(largest_mm * dpi / MM_PER_INCH))
    fitting = min(widest, math.floor(available_px / width_modules))
    return float(fitting) if fitting >= narrowest else None
