"""The daily sheet's sections, order, exclusions, totals and row texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.printing.sheet.data import DailySheet, SectionKind, build_daily_sheet

BERLIN = ZoneInfo("Europe/Berlin")
MakeBatch = Callable[..., Batch]
EXPIRED, TODAY, PLAN = SectionKind.EXPIRED, SectionKind.EXPIRES_TODAY, SectionKind.PLAN
PENDING, REJECTED = QaState.PENDING, QaState.REJECTED


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def sheet_of(
    batches: list[Batch],
    sheet_date: date,
    *,
    generated_at: datetime | None = None,
    days: int = 3,
    zone: ZoneInfo = BERLIN,
) -> DailySheet:
    return build_daily_sheet(
        batches,
        sheet_date=sheet_date,
        days=days,
        zone=zone,
        generated_at=generated_at or local(sheet_date, 5, 30, zone),
        generated_by="anna",
        workstation="OFFICE-2",
        plant_name="Test Dairy",
    )


EXPIRY_SECTIONS = (EXPIRED, TODAY, PLAN)


def codes_by_section(sheet: DailySheet) -> dict[SectionKind, list[str]]:
    """The expiry sections' codes (the tests of the QA and hold sections look at those)."""
    return {
        section.kind: [row.code for row in section.rows]
        for section in sheet.sections
        if section.kind in EXPIRY_SECTIONS
    }


def test_sections_follow_the_local_day_boundaries(make_batch: MakeBatch) -> None:
    # 2025-12-04 in Berlin (UTC+1) runs from 2025-12-03 23:00 UTC to 2025-12-04 23:00 UTC.
    batches = [
        make_batch("BEFORE-MIDNIGHT", utc(2025, 12, 3, 22, 59)),
        make_batch("AT-MIDNIGHT", utc(2025, 12, 3, 23, 0)),
        make_batch("JUST-AFTER", utc(2025, 12, 3, 23, 1)),
        make_batch("LAST-MINUTE", utc(2025, 12, 4, 22, 59)),
        make_batch("NEXT-MIDNIGHT", utc(2025, 12, 4, 23, 0)),
        make_batch("END-OF-HORIZON", utc(2025, 12, 7, 22, 59)),
        make_batch("PAST-HORIZON", utc(2025, 12, 7, 23, 0)),
    ]

    day = date(2025, 12, 4)
    sections = codes_by_section(sheet_of(batches, day, generated_at=local(day, 0, 0)))

    assert sections == {
        EXPIRED: ["BEFORE-MIDNIGHT", "AT-MIDNIGHT"],
        TODAY: ["JUST-AFTER", "LAST-MINUTE"],
        PLAN: ["NEXT-MIDNIGHT", "END-OF-HORIZON"],
    }


def test_autumn_dst_day_is_25_hours_long(make_batch: MakeBatch) -> None:
    # 2025-10-26 in Berlin: 22:00 UTC (CEST) to 23:00 UTC next day (CET).
    day = date(2025, 10, 26)
    batches = [
        make_batch("LATE-EVENING-BEFORE", utc(2025, 10, 25, 21, 59)),
        make_batch("FIRST-0230-CEST", utc(2025, 10, 26, 0, 30)),
        make_batch("SECOND-0230-CET", utc(2025, 10, 26, 1, 30)),
        # 24 h after the day began, but still 23:30 local on the same day.
        make_batch("TWENTY-FIFTH-HOUR", utc(2025, 10, 26, 22, 30)),
        make_batch("NEXT-DAY", utc(2025, 10, 26, 23, 0)),
    ]

    sheet = sheet_of(batches, day, generated_at=local(day, 0, 0))

    assert codes_by_section(sheet) == {
        EXPIRED: ["LATE-EVENING-BEFORE"],
        TODAY: ["FIRST-0230-CEST", "SECOND-0230-CET", "TWENTY-FIFTH-HOUR"],
        PLAN: ["NEXT-DAY"],
    }
    today = sheet.section(TODAY).rows
    assert [row.expires_text for row in today] == [
        "2025-10-26 02:30 CEST",
        "2025-10-26 02:30 CET",
        "2025-10-26 23:30",
    ]


def test_spring_dst_day_is_23_hours_long(make_batch: MakeBatch) -> None:
    # 2025-03-30 in Berlin: 23:00 UTC (CET) to 22:00 UTC the same date (CEST).
    batches = [
        make_batch("LAST-LOCAL-MINUTE", utc(2025, 3, 30, 21, 59)),
        # Within 24 h of the day's start, but already 00:30 on 31 March locally.
        make_batch("AFTER-SHORT-DAY", utc(2025, 3, 30, 22, 30)),
    ]

    day = date(2025, 3, 30)
    sheet = sheet_of(batches, day, generated_at=local(day, 0, 0))

    assert codes_by_section(sheet) == {
        EXPIRED: [],
        TODAY: ["LAST-LOCAL-MINUTE"],
        PLAN: ["AFTER-SHORT-DAY"],
    }
    assert sheet.section(PLAN).rows[0].expires_text == "2025-03-31 00:30"


def _every_20_minutes(make_batch: MakeBatch, day: date, zone: ZoneInfo) -> list[Batch]:
    start = datetime.combine(day - timedelta(days=2), time(0), tzinfo=zone).astimezone(UTC)
    return [
        make_batch(f"B{index:04d}", start + timedelta(minutes=20 * index)) for index in range(540)
    ]


@pytest.mark.parametrize(
    ("zone_name", "day"),
    [
        ("Europe/Berlin", date(2025, 12, 4)),
        ("Europe/Berlin", date(2025, 10, 26)),
        ("Europe/Berlin", date(2025, 3, 30)),
        ("America/New_York", date(2025, 11, 2)),
        ("UTC", date(2025, 6, 1)),
    ],
)
def test_a_reprint_at_14_00_moves_only_what_expired_since_05_30_to_expired(
    make_batch: MakeBatch, zone_name: str, day: date
) -> None:
    zone = ZoneInfo(zone_name)
    batches = _every_20_minutes(make_batch, day, zone)
    early_at, late_at = local(day, 5, 30, zone), local(day, 14, 0, zone)

    early = codes_by_section(sheet_of(batches, day, generated_at=early_at, zone=zone))
    late = codes_by_section(sheet_of(batches, day, generated_at=late_at, zone=zone))

    expired_between = sorted(b.code for b in batches if early_at < b.expires_at <= late_at)
    assert expired_between, "the test data should have batches expiring in between"
    assert late[EXPIRED] == early[EXPIRED] + expired_between
    assert late[TODAY] == [code for code in early[TODAY] if code not in expired_between]
    assert late[PLAN] == early[PLAN]
    assert all(late.values()), "every section should have batches"


def test_a_batch_expired_five_hours_ago_is_never_use_first(make_batch: MakeBatch) -> None:
    day = date(2025, 12, 4)
    printed_at = local(day, 14, 0)
    batches = [
        make_batch("EXPIRED-09-00", printed_at - timedelta(hours=5)),
        make_batch("EXPIRES-18-00", printed_at + timedelta(hours=4)),
    ]

    sheet = sheet_of(batches, day, generated_at=printed_at)

    assert codes_by_section(sheet) == {
        EXPIRED: ["EXPIRED-09-00"],
        TODAY: ["EXPIRES-18-00"],
        PLAN: [],
    }
    assert sheet.section(EXPIRED).rows[0].time_left_text == "expired 5 h ago"
    assert sheet.sections_at == printed_at.astimezone(UTC)
    assert sheet.sections_at_text == "2025-12-04 14:00"


def test_a_sheet_printed_the_evening_before_lists_what_the_day_starts_with(
    make_batch: MakeBatch,
) -> None:
    day = date(2025, 12, 4)
    evening_before = local(day - timedelta(days=1), 20, 0)
    batches = [
        make_batch("EXPIRES-22-00-BEFORE", local(day - timedelta(days=1), 22, 0)),
        make_batch("EXPIRES-08-00", local(day, 8, 0)),
    ]

    sheet = sheet_of(batches, day, generated_at=evening_before)

    assert codes_by_section(sheet)[EXPIRED] == ["EXPIRES-22-00-BEFORE"]
    assert codes_by_section(sheet)[TODAY] == ["EXPIRES-08-00"]
    assert sheet.sections_at == local(day, 0, 0).astimezone(UTC)


def _status_code(status: BatchStatus) -> SectionKind | None:
    return {
        BatchStatus.EXPIRED: EXPIRED,
        BatchStatus.EXPIRES_TODAY: TODAY,
        BatchStatus.NEAR_EXPIRY: PLAN,
    }.get(status)


# No deadline: a busy CI machine must not turn a slow example into a failure.
@settings(deadline=None, max_examples=60)
@given(
    moment=st.datetimes(min_value=datetime(2025, 10, 26), max_value=datetime(2025, 10, 26, 23, 59))
)
def test_at_any_time_of_the_dst_day_the_sections_are_the_statuses_at_that_moment(
    make_batch: MakeBatch, moment: datetime
) -> None:
    day = date(2025, 10, 26)
    printed_at = moment.replace(tzinfo=BERLIN)
    batches = [
        make_batch(f"B{index:04d}", utc(2025, 10, 24) + timedelta(minutes=45 * index))
        for index in range(200)
    ]

    sheet = sheet_of(batches, day, generated_at=printed_at)

    by_code = {b.code: b for b in batches}
    listed = {row.code: section.kind for section in sheet.sections for row in section.rows}
    for code, batch in by_code.items():
        status = batch.status(printed_at, BERLIN, near_expiry_days=3)
        assert listed.get(code) is _status_code(status), (code, status)


def test_sections_match_the_status_column_at_the_start_of_the_day(make_batch: MakeBatch) -> None:
    day = date(2025, 10, 26)
    batches = _every_20_minutes(make_batch, day, BERLIN)
    start_of_day = local(day, 0, 0)
    expected_status = {EXPIRED: BatchStatus.EXPIRED, TODAY: BatchStatus.EXPIRES_TODAY}
    expected_status[PLAN] = BatchStatus.NEAR_EXPIRY

    sheet = sheet_of(batches, day, generated_at=start_of_day)

    by_code = {b.code: b for b in batches}
    for section in sheet.sections:
        for row in section.rows:
            status = by_code[row.code].status(start_of_day, BERLIN, near_expiry_days=3)
            assert status is expected_status[section.kind], row.code
    listed = {row.code for section in sheet.sections for row in section.rows}
    for code in by_code.keys() - listed:
        assert by_code[code].status(start_of_day, BERLIN, near_expiry_days=3) is BatchStatus.FRESH


def test_rows_are_first_expiring_first_with_the_code_breaking_ties(make_batch: MakeBatch) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batches = [
        make_batch("C-LATE", noon + timedelta(hours=5)),
        make_batch("B-TIE", noon),
        make_batch("A-TIE", noon),
        make_batch("D-EARLY", noon - timedelta(hours=5)),
    ]

    rows = sheet_of(batches, date(2025, 12, 4)).section(TODAY).rows

    assert [row.code for row in rows] == ["D-EARLY", "A-TIE", "B-TIE", "C-LATE"]


def test_empty_deleted_and_fresh_batches_are_left_out(make_batch: MakeBatch) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batches = [
        make_batch("KEPT", noon),
        make_batch("EMPTY", noon, remaining_ml=0, initial_ml=5_000),
        make_batch("DELETED", noon, deleted_at=noon - timedelta(days=1)),
        make_batch("EMPTY-EXPIRED", noon - timedelta(days=2), remaining_ml=0, initial_ml=5_000),
        make_batch("DELETED-EXPIRED", noon - timedelta(days=2), deleted_at=noon),
        make_batch("FRESH", noon + timedelta(days=10)),
    ]

    sheet = sheet_of(batches, date(2025, 12, 4))

    assert codes_by_section(sheet) == {EXPIRED: [], TODAY: ["KEPT"], PLAN: []}
    assert sheet.row_count == 1


def test_section_totals_are_exact_litres(make_batch: MakeBatch) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batches = [
        make_batch("A", noon, remaining_ml=1),
        make_batch("B", noon, remaining_ml=1_234_500),
        make_batch("C", noon, remaining_ml=100),
        make_batch("D", noon - timedelta(days=1), remaining_ml=999_999_999),
    ]

    sheet = sheet_of(batches, date(2025, 12, 4))

    today = sheet.section(TODAY)
    assert today.batch_count == 3
    assert today.total_liters == Decimal("1234.601")
    assert today.totals_text == "3 batches · 1,234.601 L"
    assert sheet.section(EXPIRED).totals_text == "1 batch · 999,999.999 L"
    assert sheet.section(PLAN).total_liters == Decimal("0.000")
    assert sheet.section(PLAN).totals_text == "0 batches · 0.000 L"


def test_rows_carry_printable_local_texts(make_batch: MakeBatch) -> None:
    expired = make_batch(
        "OLD", utc(2025, 12, 4, 2, 30), remaining_ml=1_234_500, fat_centi=350, shelf_life_days=2
    )
    later = make_batch("NEW", utc(2025, 12, 6, 8, 0), remaining_ml=500, fat_centi=None)

    sheet = sheet_of([expired, later], date(2025, 12, 4), generated_at=utc(2025, 12, 4, 4, 30))

    old = sheet.section(EXPIRED).rows[0]  # expired two hours before printing
    assert old.received_text == "2025-12-02 03:30"
    assert old.expires_text == "2025-12-04 03:30"
    assert old.time_left_text == "expired 2 h ago"
    assert old.remaining_text == "1,234.500 L"
    assert old.fat_text == "3.50 %"
    new = sheet.section(PLAN).rows[0]
    assert new.time_left_text == "2 d 3 h"
    assert new.remaining_text == "0.500 L"
    assert new.fat_text == "—"


def test_sheet_header_facts(make_batch: MakeBatch) -> None:
    sheet = sheet_of([], date(2025, 12, 4), generated_at=utc(2025, 12, 4, 4, 30), days=1)

    assert sheet.sheet_date_text == "Thursday 2025-12-04"
    assert sheet.generated_at_text == "2025-12-04 05:30"
    assert sheet.zone_name == "Europe/Berlin"
    assert [section.title for section in sheet.sections] == [
        "Expired — remove",
        "On hold / rejected / recalled — do not use",
        "Awaiting QA",
        "Expires today — use first",
        "Expires within 1 day — plan",
    ]


def test_a_zero_day_horizon_leaves_the_plan_section_empty(make_batch: MakeBatch) -> None:
    sheet = sheet_of([make_batch("TOMORROW", utc(2025, 12, 5, 8, 0))], date(2025, 12, 4), days=0)

    assert codes_by_section(sheet)[PLAN] == []


@pytest.mark.parametrize("days", [-1, 31])
def test_a_horizon_out_of_range_is_refused(days: int) -> None:
    with pytest.raises(InvalidInput, match="horizon"):
        sheet_of([], date(2025, 12, 4), days=days)


def test_a_naive_generation_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        sheet_of([], date(2025, 12, 4), generated_at=datetime(2025, 12, 4, 5, 30))


def test_a_sheet_for_a_past_day_lists_what_that_day_started_with(make_batch: MakeBatch) -> None:
    day = date(2025, 12, 4)
    batches = [make_batch("EXPIRES-08-00", local(day, 8, 0))]

    sheet = sheet_of(batches, day, generated_at=local(day + timedelta(days=3), 9, 0))

    assert codes_by_section(sheet)[TODAY] == ["EXPIRES-08-00"]
    assert sheet.sections_at == local(day, 0, 0).astimezone(UTC)


# Milk nobody may use: its own sections, whatever its expiry, out of the usable totals.
def _lifecycle(make_batch: MakeBatch, code: str, expires: datetime, **fields: object) -> Batch:
    return replace(make_batch(code, expires), **fields)  # type: ignore[arg-type]


def test_blocked_and_pending_batches_get_their_own_sections_whatever_their_expiry(
    make_batch: MakeBatch,
) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batches = [
        _lifecycle(make_batch, "HELD-TODAY", noon, held_at=noon),
        _lifecycle(make_batch, "REJECTED-EXPIRED", noon - timedelta(days=1), qa_state=REJECTED),
        _lifecycle(make_batch, "RECALLED-FRESH", noon + timedelta(days=20), recalled_at=noon),
        _lifecycle(make_batch, "PENDING-PLAN", noon + timedelta(days=1), qa_state=PENDING),
        _lifecycle(make_batch, "PENDING-FRESH", noon + timedelta(days=20), qa_state=PENDING),
        _lifecycle(
            make_batch, "RECALLED-EMPTY", noon, recalled_at=noon, remaining_ml=0, initial_ml=9
        ),
        _lifecycle(make_batch, "HELD-DELETED", noon, held_at=noon, deleted_at=noon),
        make_batch("FREE-TODAY", noon),
    ]

    sheet = sheet_of(batches, date(2025, 12, 4))

    assert [section.kind for section in sheet.sections] == [
        EXPIRED,
        SectionKind.DO_NOT_USE,
        SectionKind.AWAITING_QA,
        TODAY,
        PLAN,
    ]
    do_not_use = sheet.section(SectionKind.DO_NOT_USE)
    assert do_not_use.title == "On hold / rejected / recalled — do not use"
    assert [(r.code, r.status_word) for r in do_not_use.rows] == [
        ("REJECTED-EXPIRED", "Rejected"),  # first expiring first here too
        ("HELD-TODAY", "On hold"),
        ("RECALLED-FRESH", "Recalled"),
    ]
    awaiting = sheet.section(SectionKind.AWAITING_QA)
    assert awaiting.title == "Awaiting QA"
    assert [(r.code, r.status) for r in awaiting.rows] == [
        ("PENDING-PLAN", BatchStatus.PENDING_QA),
        ("PENDING-FRESH", BatchStatus.PENDING_QA),
    ]
    assert codes_by_section(sheet) == {EXPIRED: [], TODAY: ["FREE-TODAY"], PLAN: []}
    assert sheet.section(TODAY).rows[0].status is None  # usable rows carry no status word
    listed = {row.code for section in sheet.sections for row in section.rows}
    assert "RECALLED-EMPTY" not in listed  # nothing left on the floor
    assert "HELD-DELETED" not in listed


def test_blocked_litres_are_not_in_the_usable_totals(make_batch: MakeBatch) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batches = [
        make_batch("FREE-TODAY", noon, remaining_ml=1_500),
        make_batch("FREE-PLAN", noon + timedelta(days=1), remaining_ml=250),
        _lifecycle(make_batch, "HELD", noon, held_at=noon, remaining_ml=7_000_000),
        _lifecycle(make_batch, "PENDING", noon, qa_state=PENDING, remaining_ml=3_000_000),
        make_batch("EXPIRED", noon - timedelta(days=1), remaining_ml=9_000),
    ]

    sheet = sheet_of(batches, date(2025, 12, 4))

    assert sheet.usable_liters == Decimal("1.750")
    assert sheet.section(TODAY).totals_text == "1 batch · 1.500 L"
    assert sheet.section(SectionKind.DO_NOT_USE).totals_text == "1 batch · 7,000.000 L"
    assert sheet.section(SectionKind.AWAITING_QA).totals_text == "1 batch · 3,000.000 L"


def test_every_recorded_receipt_temperature_is_printed_and_warm_ones_marked(
    make_batch: MakeBatch,
) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batches = [
        _lifecycle(make_batch, "WARM", noon, temperature_deci=85),
        _lifecycle(make_batch, "AT-LIMIT", noon, temperature_deci=70),
        _lifecycle(make_batch, "COLD", noon, temperature_deci=-5),
        make_batch("NOT-MEASURED", noon),
        _lifecycle(make_batch, "WARM-HELD", noon, temperature_deci=120, held_at=noon),
    ]

    sheet = sheet_of(batches, date(2025, 12, 4))
    rows = {row.code: row for section in sheet.sections for row in section.rows}

    assert (rows["WARM"].temperature_text, rows["WARM"].warm) == ("▲ 8.5 °C", True)
    assert (rows["AT-LIMIT"].temperature_text, rows["AT-LIMIT"].warm) == ("7.0 °C", False)
    assert (rows["COLD"].temperature_text, rows["COLD"].warm) == ("-0.5 °C", False)
    assert (rows["NOT-MEASURED"].temperature_text, rows["NOT-MEASURED"].warm) == ("", False)
    assert rows["WARM-HELD"].temperature_text == "▲ 12.0 °C"
    assert (
        sheet.temperature_note == "▲ received above the plant's limit of 7.0 °C (under the fat %)."
    )


def test_the_plants_own_limit_decides_what_is_warm(make_batch: MakeBatch) -> None:
    noon = utc(2025, 12, 4, 11, 0)
    batch = _lifecycle(make_batch, "SIX-FIVE", noon, temperature_deci=65)

    default = build_daily_sheet(
        [batch],
        sheet_date=date(2025, 12, 4),
        days=3,
        zone=BERLIN,
        generated_at=local(date(2025, 12, 4), 5, 30),
        generated_by="anna",
        workstation="OFFICE-2",
        plant_name="Test Dairy",
    )
    eu_sheet = build_daily_sheet(
        [batch],
        sheet_date=date(2025, 12, 4),
        days=3,
        zone=BERLIN,
        generated_at=local(date(2025, 12, 4), 5, 30),
        generated_by="anna",
        workstation="OFFICE-2",
        plant_name="Test Dairy",
        temperature_limit_deci=60,
    )

    assert default.section(TODAY).rows[0].warm is False
    assert eu_sheet.section(TODAY).rows[0].warm is True
    assert "limit of 6.0 °C" in eu_sheet.temperature_note
