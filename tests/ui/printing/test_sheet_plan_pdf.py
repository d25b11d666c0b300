"""The sheet's planning chart and reservations at risk, rendered to PDF and read back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtGui import QPageSize

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.render import page_count, render_sheet_pdf

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2025, 12, 4)
PRINTED = datetime(2025, 12, 4, 5, 0, tzinfo=UTC)  # 06:00 CET
MakeBatch = Callable[..., Batch]
PageTexts = Callable[[Path], list[str]]


def _sheet(batches: list[Batch], reservations: list[Reservation]) -> DailySheet:
    return build_daily_sheet(
        batches,
        sheet_date=DAY,
        days=3,
        zone=BERLIN,
        generated_at=PRINTED,
        generated_by="ann",
        workstation="PC-1",
        plant_name="Riverside Dairy",
        reservations=reservations,
    )


def _stock(make_batch: MakeBatch) -> list[Batch]:
    tomorrow = PRINTED + timedelta(days=1)
    return [
        replace(
            make_batch("SCH-20251201-0001", tomorrow, remaining_ml=1_000_000, fat_centi=300),
            reserved_ml=400_000,
        ),
        make_batch("SCH-20251201-0002", tomorrow, remaining_ml=3_000_000, fat_centi=400),
        replace(make_batch("SCH-20251201-0003", PRINTED + timedelta(days=2)), held_at=PRINTED),
    ]


def test_page_one_shows_the_chart_with_its_legend_days_and_weighted_fat(
    tmp_path: Path, make_batch: MakeBatch, page_texts: PageTexts
) -> None:
    sheet = _sheet(_stock(make_batch), [])
    path = tmp_path / "plan.pdf"

    render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))

    first = page_texts(path)[0]
    assert "Litres expiring per day" in first
    assert "Available" in first
    assert "Reserved (hatched)" in first
    assert "3.75 %" in first  # (1,000 × 3.00 + 3,000 × 4.00) / 4,000 on Friday
    for weekday, day in (("Thu", "12-04"), ("Fri", "12-05"), ("Sat", "12-06"), ("Sun", "12-07")):
        assert f"{weekday} {day}" in first
    assert "1 held" in first  # Saturday's batch is counted and said to be on hold
    assert "4,000 L" in first  # a round tick on the litres axis
    assert first.find("Litres expiring per day") < first.find(
        "Expired — remove 0 batches · 0.000 L None"
    )
    assert "Reservations at risk" not in " ".join(page_texts(path))


def test_reservations_at_risk_are_listed_after_the_last_section(
    tmp_path: Path, make_batch: MakeBatch, page_texts: PageTexts
) -> None:
    batches = _stock(make_batch)
    held = batches[2]
    fine = batches[0]
    reservations = [
        Reservation(
            "ORDER-20251205-0001",
            held.code,
            250_000,
            DAY + timedelta(days=1),
            PRINTED,
            "ann",
            "PC-1",
        ),
        Reservation(
            "ORDER-20251206-0009",
            fine.code,
            400_000,
            DAY + timedelta(days=2),
            PRINTED,
            "ann",
            "PC-1",
        ),
        Reservation("ORDER-20251204-0003", fine.code, 100_000, DAY, PRINTED, "bob", "PC-2"),
    ]
    sheet = _sheet(batches, reservations)
    path = tmp_path / "risk.pdf"

    pages = render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))

    texts = page_texts(path)
    assert pages == len(texts) == page_count(sheet)
    text = " ".join(texts)
    assert "2 reservations at risk: see the list after the last section." in texts[0]
    heading = text.find("Reservations at risk — re-plan these orders 2 order lines")
    assert heading > text.find("Expires within 3 days — plan")
    assert heading < text.find("Sign-off")
    assert "ORDER-20251205-0001 SCH-20251201-0003 250.000 L Fri 2025-12-05" in text
    assert "batch on hold" in text
    # Expires Friday 06:00, planned for Saturday: gone before the order's day begins.
    assert "ORDER-20251206-0009 SCH-20251201-0001 400.000 L Sat 2025-12-06" in text
    assert "expires before that day" in text
    assert "ORDER-20251204-0003" not in text  # planned for today, the batch lasts till Friday


def test_when_nothing_expires_in_the_sheets_days_one_line_says_so(
    tmp_path: Path, make_batch: MakeBatch, page_texts: PageTexts
) -> None:
    sheet = _sheet([make_batch("SCH-20251101-0001", PRINTED - timedelta(days=3))], [])
    path = tmp_path / "quiet.pdf"

    render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))

    (text,) = page_texts(path)
    assert "Litres expiring per day: no milk expires on these days." in text
    assert "Reserved (hatched)" not in text
