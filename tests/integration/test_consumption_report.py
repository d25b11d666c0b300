"""The consumption report on both databases, held against the audit trail event by event:
every grouping, plant days split at the plant's midnight (not UTC's), inclusive date
filters, reversals counted in their consume's group and period, write-offs never."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.consumption import NO_CONSUMPTION, ConsumptionTotals, Grouping
from dairy_desktop.domain.report_period import ReportPeriod
from dairy_desktop.services.consumption_report import consumption_report, report_to_dict
from tests.integration.consumption_stock import (
    CODES,
    ORDER_A,
    ORDER_B,
    consume_at,
    expected_totals,
    seed,
)
from tests.integration.helpers import ANN


@pytest.mark.parametrize("by", list(Grouping))
def test_each_grouping_totals_what_the_audit_trail_records(
    database: Database, by: Grouping
) -> None:
    seed(database)
    report = consumption_report(database, by=by)
    groups, total = expected_totals(database, by)
    assert {row.key: row.totals for row in report.rows} == groups
    assert report.total == total
    keys = [row.key for row in report.rows]
    assert keys == sorted(groups, key=lambda key: (key is None, key or ""))
    assert report.time_zone == "Europe/Berlin"


def test_the_totals_in_litres_consumes_and_batches(database: Database) -> None:
    seed(database)
    report = consumption_report(database)
    assert [row.key for row in report.rows] == [ORDER_A, ORDER_B, None]
    shaped = report_to_dict(report)
    assert shaped["rows"] == [
        {"key": ORDER_A, "consumed_liters": "120.625", "reversed_liters": "0.000",
         "net_liters": "120.625", "consumes": 2, "batches": 2},
        {"key": ORDER_B, "consumed_liters": "8.000", "reversed_liters": "7.001",
         "net_liters": "0.999", "consumes": 2, "batches": 2},
        {"key": None, "consumed_liters": "15.000", "reversed_liters": "3.000",
         "net_liters": "12.000", "consumes": 2, "batches": 2},
    ]  # fmt: skip
    # The 50 L written off (and put back) are not consumption; batches are distinct overall.
    assert shaped["total"] == {
        "consumed_liters": "143.625",
        "reversed_liters": "10.001",
        "net_liters": "133.624",
        "consumes": 6,
        "batches": 3,
    }
    assert (shaped["by"], shaped["from"], shaped["to"]) == ("order", None, None)


def test_a_plant_midnight_splits_two_consumes_of_one_utc_day(database: Database) -> None:
    seeded = seed(database)
    before, after = seeded.at(1, 23, 30), seeded.at(2, 0, 30)
    assert before.date() == after.date()  # the same UTC day: only the plant's clock splits
    report = consumption_report(database, by=Grouping.DAY)
    rows = {row.key: row.totals for row in report.rows}
    assert list(rows) == [day.isoformat() for day in seeded.days]
    assert rows[seeded.days[1].isoformat()] == ConsumptionTotals(7_001, 7_001, 1, 1)
    assert rows[seeded.days[2].isoformat()] == ConsumptionTotals(3_999, 3_000, 2, 2)


def test_a_reversal_counts_in_the_period_of_its_consume_whenever_it_was_made(
    database: Database,
) -> None:
    seeded = seed(database)
    day = seeded.days[1]  # consumed 7.001 L for ORDER_B late that day, reversed two days on
    that_day = consumption_report(database, period=ReportPeriod(day, day))
    assert [(row.key, row.totals) for row in that_day.rows] == [
        (ORDER_B, ConsumptionTotals(7_001, 7_001, 1, 1))
    ]
    reversal_day = seeded.days[3]
    later = consumption_report(database, period=ReportPeriod(reversal_day, reversal_day))
    assert later.total == ConsumptionTotals(12_000, 0, 1, 1)
    for report in (that_day, later):
        assert all(row.totals.net_ml >= 0 for row in report.rows)


@pytest.mark.parametrize("by", list(Grouping))
def test_from_and_to_are_plant_days_both_included(database: Database, by: Grouping) -> None:
    seeded = seed(database)
    first, last = seeded.days[1], seeded.days[2]
    report = consumption_report(database, by=by, period=ReportPeriod(first, last))
    groups, total = expected_totals(database, by, first=first, last=last)
    assert {row.key: row.totals for row in report.rows} == groups
    assert report.total == total
    assert total.consumes == 3  # 23:30 on the first, two at 00:30 on the last
    shaped = report_to_dict(report)
    assert (shaped["from"], shaped["to"]) == (first.isoformat(), last.isoformat())
    only_from = consumption_report(database, by=by, period=ReportPeriod(first, None))
    assert only_from.total == expected_totals(database, by, first=first)[1]
    only_to = consumption_report(database, by=by, period=ReportPeriod(None, first))
    assert only_to.total == expected_totals(database, by, last=first)[1]


@pytest.mark.parametrize("by", list(Grouping))
def test_the_rows_add_up_to_the_total(database: Database, by: Grouping) -> None:
    seed(database)
    report = consumption_report(database, by=by)
    assert sum(r.totals.consumed_ml for r in report.rows) == report.total.consumed_ml
    assert sum(r.totals.reversed_ml for r in report.rows) == report.total.reversed_ml
    assert sum(r.totals.consumes for r in report.rows) == report.total.consumes


@pytest.mark.parametrize("by", list(Grouping))
def test_no_consumption_gives_no_rows_and_a_zero_total(database: Database, by: Grouping) -> None:
    seeded = seed(database)
    quiet = seeded.days[0] - timedelta(days=30)
    report = consumption_report(database, by=by, period=ReportPeriod(quiet, quiet))
    assert (report.rows, report.total) == ([], NO_CONSUMPTION)
    assert report_to_dict(report)["total"]["net_liters"] == "0.000"


def test_plant_days_follow_the_clock_changes(database: Database) -> None:
    """Consumes around both of Berlin's 2025 clock changes (re-stamped to then: only their
    instants matter to the report), each on the plant day its local time says."""
    seed(database)  # Berlin, and batches to take from
    instants = [
        datetime(2025, 3, 29, 22, 30, tzinfo=UTC),  # 23:30 CET, 29 March
        datetime(2025, 3, 29, 23, 30, tzinfo=UTC),  # 00:30 CET, 30 March
        datetime(2025, 3, 30, 1, 30, tzinfo=UTC),  # 03:30 CEST: the clocks went forward
        datetime(2025, 3, 30, 21, 30, tzinfo=UTC),  # 23:30 CEST
        datetime(2025, 3, 30, 22, 30, tzinfo=UTC),  # 00:30 CEST, 31 March
        datetime(2025, 10, 25, 22, 30, tzinfo=UTC),  # 00:30 CEST, 26 October
        datetime(2025, 10, 26, 22, 30, tzinfo=UTC),  # 23:30 CET: the clocks went back
        datetime(2025, 10, 26, 23, 30, tzinfo=UTC),  # 00:30 CET, 27 October
    ]
    for at in instants:
        consume_at(database, CODES[0], "1", at, order=ORDER_A, actor=ANN)
    autumn = ReportPeriod(date(2025, 3, 1), date(2025, 10, 31))
    report = consumption_report(database, by=Grouping.DAY, period=autumn)
    assert {row.key: row.totals.consumes for row in report.rows} == {
        "2025-03-29": 1,
        "2025-03-30": 3,
        "2025-03-31": 1,
        "2025-10-26": 2,
        "2025-10-27": 1,
    }
    groups, _ = expected_totals(database, Grouping.DAY, first=autumn.first, last=autumn.last)
    assert {row.key: row.totals for row in report.rows} == groups
    spring_day = ReportPeriod(date(2025, 3, 30), date(2025, 3, 30))
    assert consumption_report(database, period=spring_day).total.consumes == 3
