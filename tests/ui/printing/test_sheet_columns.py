"""Column widths: measured from the printed text, type shrunk a little before refusing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QFont, QPageSize

from dairy_desktop.barcodes.code128 import code128_pattern
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.qa import QaState
from dairy_desktop.printing.sheet.columns import MIN_FONT_SCALE, SheetColumns, lay_out_columns
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.fonts import SheetFonts
from dairy_desktop.printing.sheet.render import render_sheet_pdf

MakeBatch = Callable[..., Batch]
MODULE_MM = 0.254
DESIGN_BODY_PT = SheetFonts.at_scale(1.0).body.pointSizeF()


def width_of(font: QFont, text: str) -> float:
    """A stand-in font: every character is 0.2 × the point size wide, in mm."""
    return len(text) * font.pointSizeF() * 0.2


@pytest.fixture
def sheet(make_batch: MakeBatch) -> DailySheet:
    noon = datetime(2025, 12, 4, 11, 0, tzinfo=UTC)
    return build_daily_sheet(
        [make_batch(f"SCH-20251204-{i:04d}", noon + timedelta(hours=i)) for i in range(5)],
        sheet_date=date(2025, 12, 4),
        days=3,
        zone=ZoneInfo("Europe/Berlin"),
        generated_at=noon,
        generated_by="anna",
        workstation="PC",
        plant_name="Dairy",
    )


def lay_out(sheet: DailySheet, width_mm: float) -> SheetColumns:
    patterns = [code128_pattern(row.code) for s in sheet.sections for row in s.rows]
    return lay_out_columns(
        sheet, patterns, line_width_mm=width_mm, module_mm=MODULE_MM, width_of=width_of
    )


def test_a_wide_line_keeps_the_design_type_size_and_fits(sheet: DailySheet) -> None:
    columns = lay_out(sheet, 260)

    assert columns.fonts.body.pointSizeF() == pytest.approx(DESIGN_BODY_PT)
    assert columns.columns[-1].right_mm <= 260 + 1e-6
    # The barcode column holds the widest barcode with both quiet zones.
    assert columns.barcode.width_mm >= (len(code128_pattern("SCH-20251204-0000")) + 20) * MODULE_MM


def test_a_narrower_line_gets_smaller_type_that_fits(sheet: DailySheet) -> None:
    columns = lay_out(sheet, 170)

    body = columns.fonts.body.pointSizeF()
    assert DESIGN_BODY_PT * MIN_FONT_SCALE <= body < DESIGN_BODY_PT
    assert columns.columns[-1].right_mm <= 170 + 1e-6
    lefts = [columns.barcode.right_mm] + [c.left_mm for c in columns.columns]
    assert lefts == sorted(lefts)


def test_a_line_too_narrow_at_the_smallest_type_is_refused(sheet: DailySheet) -> None:
    with pytest.raises(InvalidInput, match="too narrow"):
        lay_out(sheet, 100)


def test_status_words_and_warm_temperatures_widen_their_columns_and_still_fit_letter(
    tmp_path: Path, make_batch: MakeBatch
) -> None:
    """The widest new texts (a warm '▲ 12.5 °C', 'Awaiting QA' with its shape) on Letter,
    the narrower of the two papers, in the fonts really installed: no refusal."""
    noon = datetime(2025, 12, 4, 11, 0, tzinfo=UTC)
    plain = [make_batch(f"SCH-20251204-{i:04d}", noon + timedelta(hours=i)) for i in range(3)]
    lifecycle = [
        *plain,
        replace(make_batch("SCH-20251204-9001", noon), qa_state=QaState.PENDING),
        replace(make_batch("SCH-20251204-9002", noon), held_at=noon, temperature_deci=125),
        replace(make_batch("SCH-20251204-9003", noon), recalled_at=noon, temperature_deci=-50),
    ]

    def columns_for(batches: list[Batch]) -> dict[str, float]:
        built = build_daily_sheet(
            batches,
            sheet_date=date(2025, 12, 4),
            days=3,
            zone=ZoneInfo("Europe/Berlin"),
            generated_at=noon,
            generated_by="anna",
            workstation="PC",
            plant_name="Dairy",
        )
        return {c.key: c.width_mm for c in lay_out(built, 180).columns}

    before, after = columns_for(plain), columns_for(lifecycle)

    assert after["time_left"] > before["time_left"]  # 'Awaiting QA' and its shape
    assert after["fat"] > before["fat"]  # '▲ 12.5 °C' under the fat %
    sheet = build_daily_sheet(
        lifecycle,
        sheet_date=date(2025, 12, 4),
        days=3,
        zone=ZoneInfo("Europe/Berlin"),
        generated_at=noon,
        generated_by="anna",
        workstation="PC",
        plant_name="Dairy",
    )
    assert render_sheet_pdf(sheet, tmp_path / "letter.pdf", QPageSize(QPageSize.PageSizeId.Letter))
