"""Which block of the daily sheet goes where on which page. Pure arithmetic in millimetres.

Every block has a fixed height, so the page count is known before anything is painted:
the footer can say "Page X of Y" and the print preview can ask for the count without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.sheet.data import DailySheet

FIRST_HEADER_MM = 44.0
CONTINUED_HEADER_MM = 11.0
FOOTER_MM = 9.0
SECTION_GAP_MM = 4.0
SECTION_HEADING_MM = 8.0
COLUMN_HEADINGS_MM = 6.0
ROW_MM = 14.0
NONE_ROW_MM = 9.0
SIGN_OFF_MM = 36.0
# Page 1's planning chart (printing/plan_chart.py), under the header; a single line in its
# place when no milk expires in the sheet's days (an empty chart would only cost paper).
PLAN_CHART_MM = 38.0
PLAN_NOTE_MM = 8.0
RISK_ROW_MM = 6.0


class Block(Enum):
    FIRST_HEADER = auto()
    CONTINUED_HEADER = auto()
    SECTION_HEADING = auto()
    COLUMN_HEADINGS = auto()
    ROW = auto()
    NONE_ROW = auto()
    SIGN_OFF = auto()
    PLAN_CHART = auto()
    RISK_HEADING = auto()
    RISK_COLUMNS = auto()
    RISK_ROW = auto()


@dataclass(frozen=True, slots=True)
class Placed:
    block: Block
    top_mm: float
    section: int = -1
    row: int = -1
    continued: bool = False


@dataclass(frozen=True, slots=True)
class PagePlan:
    blocks: tuple[Placed, ...]


class _Pager:
    def __init__(self, content_height_mm: float) -> None:
        self.bottom = content_height_mm - FOOTER_MM
        self.pages: list[list[Placed]] = [[Placed(Block.FIRST_HEADER, 0.0)]]
        self.y = FIRST_HEADER_MM

    def fits(self, height: float) -> bool:
        return self.y + height <= self.bottom + 1e-9

    def new_page(self) -> None:
        self.pages.append([Placed(Block.CONTINUED_HEADER, 0.0)])
        self.y = CONTINUED_HEADER_MM

    def place(
        self,
        block: Block,
        height: float,
        section: int = -1,
        row: int = -1,
        *,
        continued: bool = False,
    ) -> None:
        self.pages[-1].append(Placed(block, self.y, section, row, continued))
        self.y += height


def plan_block_mm(sheet: DailySheet) -> float:
    """The planning block's height: the chart, a one-line note when nothing expires in the
    sheet's days, nothing for a sheet built without a plan."""
    if sheet.plan is None:
        return 0.0
    return PLAN_CHART_MM if sheet.plan.total_ml else PLAN_NOTE_MM


def _check_room(content_height_mm: float, chart_mm: float) -> None:
    tallest_start = CONTINUED_HEADER_MM + SECTION_GAP_MM + SECTION_HEADING_MM + COLUMN_HEADINGS_MM
    needed = max(
        FIRST_HEADER_MM
        + chart_mm
        + SECTION_GAP_MM
        + SECTION_HEADING_MM
        + COLUMN_HEADINGS_MM
        + ROW_MM,
        tallest_start + ROW_MM,
        CONTINUED_HEADER_MM + SIGN_OFF_MM,
    )
    if content_height_mm < needed + FOOTER_MM:
        raise InvalidInput(
            f"The page is too short for the daily sheet: {content_height_mm:.0f} mm printable, "
            f"at least {needed + FOOTER_MM:.0f} mm needed. Choose A4 or Letter.",
            field="page_size",
        )


def paginate(sheet: DailySheet, content_height_mm: float) -> tuple[PagePlan, ...]:
    """Lay the sheet out on pages whose printable area is `content_height_mm` tall.

    A section heading never ends a page alone: it moves on with its first row. A section
    that goes on over a page break repeats its heading (marked continued) and the column
    headings. The sign-off block is kept whole. The planning chart sits under the first
    page's header; the reservations at risk (when there are any) follow the last section.
    """
    chart_mm = plan_block_mm(sheet)
    _check_room(content_height_mm, chart_mm)
    pager = _Pager(content_height_mm)
    if chart_mm:
        pager.place(Block.PLAN_CHART, chart_mm)
    for index, section in enumerate(sheet.sections):
        first_height = ROW_MM + COLUMN_HEADINGS_MM if section.rows else NONE_ROW_MM
        if not pager.fits(SECTION_GAP_MM + SECTION_HEADING_MM + first_height):
            pager.new_page()
        pager.y += SECTION_GAP_MM
        pager.place(Block.SECTION_HEADING, SECTION_HEADING_MM, index)
        if not section.rows:
            pager.place(Block.NONE_ROW, NONE_ROW_MM, index)
            continue
        pager.place(Block.COLUMN_HEADINGS, COLUMN_HEADINGS_MM, index)
        for row in range(len(section.rows)):
            if not pager.fits(ROW_MM):
                pager.new_page()
                pager.y += SECTION_GAP_MM
                pager.place(Block.SECTION_HEADING, SECTION_HEADING_MM, index, continued=True)
                pager.place(Block.COLUMN_HEADINGS, COLUMN_HEADINGS_MM, index)
            pager.place(Block.ROW, ROW_MM, index, row)
    _place_at_risk(pager, len(sheet.at_risk))
    if not pager.fits(SIGN_OFF_MM):
        pager.new_page()
    pager.place(Block.SIGN_OFF, SIGN_OFF_MM)
    return tuple(PagePlan(tuple(blocks)) for blocks in pager.pages)


def _place_at_risk(pager: _Pager, rows: int) -> None:
    """The reservations at risk as a section of its own, its heading repeated (continued)
    on each page it runs onto; nothing at all when no reservation is at risk."""
    if rows == 0:
        return
    if not pager.fits(SECTION_GAP_MM + SECTION_HEADING_MM + COLUMN_HEADINGS_MM + RISK_ROW_MM):
        pager.new_page()
    pager.y += SECTION_GAP_MM
    pager.place(Block.RISK_HEADING, SECTION_HEADING_MM)
    pager.place(Block.RISK_COLUMNS, COLUMN_HEADINGS_MM)
    for row in range(rows):
        if not pager.fits(RISK_ROW_MM):
            pager.new_page()
            pager.y += SECTION_GAP_MM
            pager.place(Block.RISK_HEADING, SECTION_HEADING_MM, continued=True)
            pager.place(Block.RISK_COLUMNS, COLUMN_HEADINGS_MM)
        pager.place(Block.RISK_ROW, RISK_ROW_MM, row=row)
