"""The daily sheet's type sizes, scaled down together when a page is too narrow."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFont

from dairy_desktop.printing.paint_kit import make_font


@dataclass(frozen=True, slots=True)
class SheetFonts:
    title: QFont
    subtitle: QFont
    heading: QFont
    body: QFont
    body_bold: QFont
    code: QFont
    small: QFont
    small_bold: QFont
    note: QFont
    page_number: QFont

    @classmethod
    def at_scale(cls, scale: float = 1.0) -> SheetFonts:
        def size(points: float) -> float:
            return points * scale

        return cls(
            title=make_font(size(16), bold=True),
            subtitle=make_font(size(12), bold=True),
            heading=make_font(size(10.5), bold=True),
            body=make_font(size(8.5)),
            body_bold=make_font(size(8.5), bold=True),
            code=make_font(size(9), bold=True),
            small=make_font(size(7)),
            small_bold=make_font(size(7), bold=True),
            note=make_font(size(9), italic=True),
            page_number=make_font(size(9), bold=True),
        )
