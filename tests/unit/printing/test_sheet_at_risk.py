"""Reservations at risk on the daily sheet, and where the planning blocks go on the pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.layout import Block, paginate

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2025, 10, 25)  # the next night the clocks go back: the 26th is 25 hours long
PRINTED = datetime(2025, 10, 25, 4, 0, tzinfo=UTC)  # 06:00 CEST
A4_PRINTABLE_MM = 297.0 - 20.0
MakeBatch = Callable[..., Batch]


def reserve(
    batch: Batch, planned_for: date, order: str = "ORDER-1", ml: int = 1_000
) -> Reservation:
    return Reservation(order, batch.code, ml, planned_for, PRINTED, "ann", "PC-1")


def sheet(batches: list[Batch], reservations: list[Reservation], days: int = 3) -> DailySheet:
    return build_daily_sheet(
        batches,
        sheet_date=DAY,
        days=days,
        zone=BERLIN,
        generated_at=PRINTED,
        generated_by="ann",
        workstation="PC-1",
        plant_name="Dairy",
        reservations=reservations,
    )


def test_a_reservation_is_at_risk_when_its_batch_expires_by_the_end_of_the_planned_day(
    make_batch: MakeBatch,
) -> None:
    # The 26th ends at 23:00 UTC (24:00 CET), 25 hours after it began.
    during = make_batch("B-DURING", datetime(2025, 10, 26, 22, 59, tzinfo=UTC))
    after = make_batch("B-AFTER", datetime(2025, 10, 26, 23, 0, tzinfo=UTC))
    before = make_batch("B-BEFORE", datetime(2025, 10, 25, 21, 0, tzinfo=UTC))
    planned = date(2025, 10, 26)

    made = sheet(
        [during, after, before],
        [
            reserve(during, planned, "O-1"),
            reserve(after, planned, "O-2"),
            reserve(before, planned, "O-3"),
        ],
    )

    assert [(r.order_id, r.batch_code, r.why) for r in made.at_risk] == [
        ("O-1", "B-DURING", "expires during that day"),
        ("O-3", "B-BEFORE", "expires before that day"),
    ]
    assert made.reservation_count == 3


def test_held_recalled_rejected_deleted_and_expired_batches_put_reservations_at_risk(
    make_batch: MakeBatch,
) -> None:
    later = PRINTED + timedelta(days=5)
    batches = {
        "held": replace(make_batch("B-HELD", later), held_at=PRINTED),
        "recalled": replace(make_batch("B-RECALLED", later), recalled_at=PRINTED),
        "rejected": replace(make_batch("B-REJECTED", later), qa_state=QaState.REJECTED),
        "deleted": make_batch("B-DELETED", later, deleted_at=PRINTED),
        "expired": make_batch("B-EXPIRED", PRINTED - timedelta(minutes=1)),
        "fine": make_batch("B-FINE", later),
    }
    planned = DAY + timedelta(days=1)

    made = sheet(
        list(batches.values()), [reserve(b, planned, f"O-{k}") for k, b in batches.items()]
    )

    assert {r.batch_code: r.why for r in made.at_risk} == {
        "B-HELD": "batch on hold",
        "B-RECALLED": "batch recalled",
        "B-REJECTED": "batch rejected by QA",
        "B-DELETED": "batch deleted",
        "B-EXPIRED": "batch expired",
    }
    assert made.at_risk[0].liters_text == "1.000 L"


def test_the_chart_follows_the_header_and_the_risks_the_last_section(
    make_batch: MakeBatch,
) -> None:
    held = replace(make_batch("B-HELD", PRINTED + timedelta(days=2)), held_at=PRINTED)
    many = [reserve(held, DAY, f"ORDER-{i:04d}") for i in range(80)]

    plans = paginate(sheet([held], many), A4_PRINTABLE_MM)

    first = [placed.block for placed in plans[0].blocks]
    assert first[:2] == [Block.FIRST_HEADER, Block.PLAN_CHART]
    blocks = [(page, placed) for page, plan in enumerate(plans) for placed in plan.blocks]
    risk_rows = [placed.row for _, placed in blocks if placed.block is Block.RISK_ROW]
    assert risk_rows == list(range(80))
    last_section_row = max(
        i for i, (_, p) in enumerate(blocks) if p.block is Block.NONE_ROW or p.block is Block.ROW
    )
    first_risk = next(i for i, (_, p) in enumerate(blocks) if p.block is Block.RISK_HEADING)
    assert first_risk > last_section_row
    headings = [p for _, p in blocks if p.block is Block.RISK_HEADING]
    assert len(headings) >= 2  # 80 lines run onto another page, heading repeated
    assert [h.continued for h in headings] == [False] + [True] * (len(headings) - 1)
    assert blocks[-1][1].block is Block.SIGN_OFF


def test_no_risk_no_section(make_batch: MakeBatch) -> None:
    fine = make_batch("B-FINE", PRINTED + timedelta(days=5))

    plans = paginate(sheet([fine], [reserve(fine, DAY)]), A4_PRINTABLE_MM)

    assert not [p for plan in plans for p in plan.blocks if p.block is Block.RISK_HEADING]


def test_the_sheets_chart_counts_its_own_days(make_batch: MakeBatch) -> None:
    batches = [
        replace(
            make_batch("B-1", PRINTED + timedelta(hours=5), remaining_ml=4_000), reserved_ml=1_000
        ),
        make_batch("B-2", PRINTED + timedelta(days=3, hours=5), remaining_ml=2_000),
        make_batch("B-3", PRINTED + timedelta(days=4, hours=5), remaining_ml=9_000),  # past day 3
        make_batch("B-4", PRINTED - timedelta(hours=1), remaining_ml=9_000),  # expired
    ]

    plan = sheet(batches, []).plan

    assert plan is not None
    assert [d.day for d in plan.days] == [DAY + timedelta(days=i) for i in range(4)]
    assert [(d.available_ml, d.reserved_ml) for d in plan.days] == [
        (3_000, 1_000),
        (0, 0),
        (0, 0),
        (2_000, 0),
    ]
