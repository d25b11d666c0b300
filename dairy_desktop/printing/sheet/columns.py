"""Where the daily sheet's columns go, measured from the text that will be printed.

Columns are as wide as their widest entry (in the fonts actually available), the barcode
column as wide as the widest barcode at the minimum module; the rest of the line is shared
out. If the line does not fit, the fonts shrink a little; then the page is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dairy_desktop.barcodes.code128 import pattern_width_modules
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.paint_kit import Align
from dairy_desktop.printing.sheet.data import DailySheet, SheetRow
from dairy_desktop.printing.sheet.fonts import SheetFonts
from dairy_desktop.printing.text_format import time_left_lines, two_lines

COLUMN_GAP_MM = 3.0
TICK_BOX_MM = 5.0
INITIALS_BOX_MM = 12.0
# A barcode may take at most this share of the line; a longer code is printed as text only.
MAX_BARCODE_SHARE = 0.45
# Code text wider than its barcode may widen the column up to this share, then it wraps.
MAX_CODE_TEXT_SHARE = 0.3
# Smaller than this is hard to read on a clipboard in a cold room.
MIN_FONT_SCALE = 0.82

MIN_BARCODE_COLUMN_MM = 30.0
# A blocked batch's status shape, before its word in the "Time left" column.
STATUS_ICON_MM = 3.2
STATUS_ICON_GAP_MM = 0.9


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str
    left_mm: float
    width_mm: float
    align: Align

    @property
    def right_mm(self) -> float:
        return self.left_mm + self.width_mm

    @property
    def centre_mm(self) -> float:
        return self.left_mm + self.width_mm / 2


@dataclass(frozen=True, slots=True)
class SheetColumns:
    fonts: SheetFonts
    barcode: Column
    columns: tuple[Column, ...]

    def by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}


FAT_TITLE = "Fat / °C"
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def distinct_shapes(texts: Iterable[str]) -> set[str]:
    """Texts that can differ in width: office fonts draw digits with one width (tabular
    figures, so columns of numbers line up), so measuring '0000' stands for every number
    and 1,000 rows cost a handful of measurements instead of thousands."""
    return {text.translate(_DIGITS_AS_ZERO) for text in texts}


def _natural_widths(
    rows: Sequence[SheetRow], fonts: SheetFonts, width: Callable[..., float]
) -> list[tuple[str, str, float, Align]]:
    def widest(font: object, texts: Sequence[str], title: str) -> float:
        shapes = distinct_shapes(texts)
        return max([width(fonts.small_bold, title), *(width(font, text) for text in shapes)])

    received = [part for row in rows for part in two_lines(row.received_text)]
    expires = [part for row in rows for part in two_lines(row.expires_text)]
    left = [part for row in rows for part in time_left_lines(row.time_left_text)]
    # A blocked row says its status on the first line (shape + word), its time left below.
    words = {row.status_word for row in rows if row.status is not None}
    status_width = max(
        (width(fonts.body_bold, w) + STATUS_ICON_MM + STATUS_ICON_GAP_MM for w in words),
        default=0.0,
    )
    # Fat % on the first line, the receipt temperature (warm ones in bold) on the second.
    temperatures = [row.temperature_text for row in rows if row.temperature_text]
    fat_title = FAT_TITLE if temperatures else "Fat"  # no temperatures: the layout as before
    fat = max(
        widest(fonts.body, [row.fat_text for row in rows], fat_title),
        max((width(fonts.body_bold, t) for t in distinct_shapes(temperatures)), default=0.0),
    )
    return [
        ("received", "Received", widest(fonts.body, received, "Received"), Align.LEFT),
        ("expires", "Expires", widest(fonts.body_bold, expires, "Expires"), Align.LEFT),
        (
            "time_left",
            "Time left",
            max(widest(fonts.body, left, "Time left"), status_width),
            Align.LEFT,
        ),
        (
            "remaining",
            "Remaining",
            widest(fonts.body_bold, [row.remaining_text for row in rows], "Remaining"),
            Align.RIGHT,
        ),
        ("fat", fat_title, fat, Align.RIGHT),
        ("used", "Used", max(TICK_BOX_MM, width(fonts.small_bold, "Used")), Align.CENTER),
        (
            "discarded",
            "Discarded",
            max(TICK_BOX_MM, width(fonts.small_bold, "Discarded")),
            Align.CENTER,
        ),
        (
            "initials",
            "Initials",
            max(INITIALS_BOX_MM, width(fonts.small_bold, "Initials")),
            Align.CENTER,
        ),
    ]


def lay_out_columns(
    sheet: DailySheet,
    patterns: Sequence[str | None],
    *,
    line_width_mm: float,
    module_mm: float,
    width_of: Callable[..., float],
) -> SheetColumns:
    """Fit the columns into `line_width_mm`; `width_of(font, text)` measures in mm.

    Type is as large as fits, up to the design size: text width grows with the point size,
    so the scale is estimated from the design size, then checked, stepping down if hinting
    made it a little wider.
    """
    rows = [row for section in sheet.sections for row in section.rows]
    widest_bars = max(
        (pattern_width_modules(p) * module_mm for p in patterns if p is not None), default=0.0
    )

    def needed(
        scale: float,
    ) -> tuple[SheetFonts, float, list[tuple[str, str, float, Align]], float]:
        fonts = SheetFonts.at_scale(scale)
        codes = max(
            (width_of(fonts.code, code) for code in distinct_shapes(row.code for row in rows)),
            default=0.0,
        )
        barcode = max(
            widest_bars, min(codes, line_width_mm * MAX_CODE_TEXT_SHARE), MIN_BARCODE_COLUMN_MM
        )
        natural = _natural_widths(rows, fonts, width_of)
        # No gap after the barcode column: its right quiet zone is already blank.
        used = barcode + sum(w for *_, w, _ in natural) + COLUMN_GAP_MM * (len(natural) - 1)
        return fonts, barcode, natural, used

    fonts, barcode, natural, used = needed(1.0)
    if used > line_width_mm:
        text = used - barcode - COLUMN_GAP_MM * (len(natural) - 1)
        scale = max(MIN_FONT_SCALE, (line_width_mm - (used - text)) / text)
        while True:
            fonts, barcode, natural, used = needed(scale)
            if used <= line_width_mm or scale <= MIN_FONT_SCALE:
                break
            scale = max(MIN_FONT_SCALE, scale - 0.02)
    if used > line_width_mm:
        raise InvalidInput(
            f"The page is too narrow for the daily sheet: {line_width_mm:.0f} mm printable, "
            f"about {used:.0f} mm needed. Choose A4 or Letter with normal margins.",
            field="page_size",
        )
    return _place(fonts, barcode, natural, line_width_mm - used)


def _place(
    fonts: SheetFonts,
    barcode_width: float,
    natural: list[tuple[str, str, float, Align]],
    spare: float,
) -> SheetColumns:
    # Spare room widens the gaps evenly: columns keep their alignment, the line looks airy.
    gap = COLUMN_GAP_MM + spare / len(natural)
    x = barcode_width + gap - COLUMN_GAP_MM
    columns = []
    for key, title, width, align in natural:
        columns.append(Column(key, title, x, width, align))
        x += width + gap
    return SheetColumns(
        fonts, Column("barcode", "Batch", 0.0, barcode_width, Align.LEFT), tuple(columns)
    )
