"""What every painter of a sheet page needs: canvas, sheet, columns, page size, bar module.

Status is carried by words and by black / grey / outlined section bands, never by colour
alone, so a grey-scale printout reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QColor

from dairy_desktop.barcodes.code128 import QUIET_ZONE_MODULES
from dairy_desktop.printing.paint_kit import BLACK, WHITE, Canvas
from dairy_desktop.printing.sheet.columns import Column, SheetColumns
from dairy_desktop.printing.sheet.data import DailySheet, SectionKind
from dairy_desktop.printing.sheet.fonts import SheetFonts


@dataclass(frozen=True, slots=True)
class Band:
    fill: QColor | None
    outline: QColor | None
    text: QColor
    dashed: bool = False


# Expired is the loudest (solid black), do-not-use nearly as loud (dark grey), awaiting QA a
# dashed outline (provisional), today is light grey, planning a plain outline: five bands a
# black-and-white copier keeps apart, with the words doing the rest.
BANDS = {
    SectionKind.EXPIRED: Band(BLACK, None, WHITE),
    SectionKind.DO_NOT_USE: Band(QColor(90, 90, 90), BLACK, WHITE),
    SectionKind.AWAITING_QA: Band(None, BLACK, BLACK, dashed=True),
    SectionKind.EXPIRES_TODAY: Band(QColor(185, 185, 185), None, BLACK),
    SectionKind.PLAN: Band(None, BLACK, BLACK),
}


@dataclass(slots=True)
class SheetFrame:
    """Positions are millimetres from the top-left of the printable area."""

    canvas: Canvas
    sheet: DailySheet
    columns: SheetColumns
    patterns: Sequence[Sequence[str | None]]
    width: float
    height: float
    module_px: float
    col: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        self.col = self.columns.by_key()

    @property
    def fonts(self) -> SheetFonts:
        return self.columns.fonts

    @property
    def quiet_zone_mm(self) -> float:
        return QUIET_ZONE_MODULES * self.module_px / self.canvas.px_per_mm

    @property
    def generated_text(self) -> str:
        sheet = self.sheet
        return f"Generated {sheet.generated_at_text} by {sheet.generated_by} on {sheet.workstation}"
