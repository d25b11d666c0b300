"""Pagination of the daily sheet: pure arithmetic, known before anything is painted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.layout import (
    FOOTER_MM,
    ROW_MM,
    Block,
    PagePlan,
    paginate,
)

A4_PRINTABLE_MM = 297.0 - 20.0
DAY = date(2025, 12, 4)
MakeBatch = Callable[..., Batch]


def sheet_with(make_batch: MakeBatch, expired: int, today: int, plan: int) -> DailySheet:
    noon = datetime(2025, 12, 4, 11, 0, tzinfo=UTC)
    batches = [make_batch(f"E{i:04d}", noon - timedelta(days=1, minutes=i)) for i in range(expired)]
    batches += [make_batch(f"T{i:04d}", noon + timedelta(minutes=i)) for i in range(today)]
    batches += [make_batch(f"P{i:04d}", noon + timedelta(days=1, minutes=i)) for i in range(plan)]
    return build_daily_sheet(
        batches,
        sheet_date=DAY,
        days=3,
        zone=ZoneInfo("Europe/Berlin"),
        generated_at=noon,
        generated_by="anna",
        workstation="PC",
        plant_name="Dairy",
    )


def blocks(plans: tuple[PagePlan, ...]) -> list[tuple[int, Block, int, int]]:
    return [
        (page, placed.block, placed.section, placed.row)
        for page, plan in enumerate(plans)
        for placed in plan.blocks
    ]


def test_an_empty_sheet_is_one_page_saying_none_in_every_section(make_batch: MakeBatch) -> None:
    plans = paginate(sheet_with(make_batch, 0, 0, 0), A4_PRINTABLE_MM)

    assert len(plans) == 1
    kinds = [placed.block for placed in plans[0].blocks]
    assert kinds.count(Block.NONE_ROW) == 5  # expired, do not use, awaiting QA, today, plan
    assert kinds[0] is Block.FIRST_HEADER
    assert kinds[-1] is Block.SIGN_OFF


@pytest.mark.parametrize(("expired", "today", "plan"), [(40, 0, 3), (15, 15, 15), (0, 1, 120)])
def test_every_row_is_placed_once_in_order(
    make_batch: MakeBatch, expired: int, today: int, plan: int
) -> None:
    sheet = sheet_with(make_batch, expired, today, plan)

    placed = [
        (s, r) for _, block, s, r in blocks(paginate(sheet, A4_PRINTABLE_MM)) if block is Block.ROW
    ]

    expected = [
        (s, r) for s, section in enumerate(sheet.sections) for r in range(len(section.rows))
    ]
    assert placed == expected


def test_a_heading_never_ends_a_page_and_continues_with_its_section(make_batch: MakeBatch) -> None:
    sheet = sheet_with(make_batch, 14, 30, 40)

    plans = paginate(sheet, A4_PRINTABLE_MM)

    for plan in plans:
        kinds = [placed.block for placed in plan.blocks]
        for index, kind in enumerate(kinds):
            if kind is Block.SECTION_HEADING:
                assert kinds[index + 1] in (Block.COLUMN_HEADINGS, Block.NONE_ROW)
            if kind is Block.COLUMN_HEADINGS:
                assert kinds[index + 1] is Block.ROW
    for plan in plans[1:]:
        first_rows = [p for p in plan.blocks if p.block is Block.ROW][:1]
        headings = [p for p in plan.blocks if p.block is Block.SECTION_HEADING]
        if first_rows and first_rows[0].row > 0:
            assert headings[0].continued
            assert headings[0].section == first_rows[0].section


def test_blocks_stay_above_the_footer(make_batch: MakeBatch) -> None:
    plans = paginate(sheet_with(make_batch, 50, 50, 50), A4_PRINTABLE_MM)

    for plan in plans:
        for placed in plan.blocks:
            if placed.block is Block.ROW:
                assert placed.top_mm + ROW_MM <= A4_PRINTABLE_MM - FOOTER_MM + 1e-9


def test_the_sign_off_comes_once_at_the_very_end(make_batch: MakeBatch) -> None:
    plans = paginate(sheet_with(make_batch, 20, 20, 20), A4_PRINTABLE_MM)

    everything = blocks(plans)
    assert [b for b in everything if b[1] is Block.SIGN_OFF] == [everything[-1]]


def test_a_thousand_rows_fit_15_to_17_rows_a_page(make_batch: MakeBatch) -> None:
    plans = paginate(sheet_with(make_batch, 300, 300, 400), A4_PRINTABLE_MM)

    assert 1000 / 17 <= len(plans) <= 1000 / 15 + 2
    rows_per_page = [sum(p.block is Block.ROW for p in plan.blocks) for plan in plans[1:-1]]
    assert max(rows_per_page) == 17


def test_a_page_too_short_is_refused(make_batch: MakeBatch) -> None:
    with pytest.raises(InvalidInput, match="too short"):
        paginate(sheet_with(make_batch, 1, 1, 1), 70.0)
