"""`report consumption`: litres consumed, minus reversals, per order, plant day or operator.

The database does the sums (db/repositories/consumption.py), all in one snapshot, so the
rows add up to the total even while other PCs consume. A reversal counts in the group and
period of the consume it undoes, whenever it was made: a period's net never goes negative,
and a report for a past period shows later corrections too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dairy_desktop.db.database import Database as StoredDatabase
from dairy_desktop.db.repositories.consumption import ConsumptionRepository
from dairy_desktop.domain.consumption import (
    ConsumptionRow,
    ConsumptionTotals,
    Grouping,
)
from dairy_desktop.domain.liters import format_liters, from_milliliters
from dairy_desktop.domain.report_period import ReportPeriod, day_of, day_spans
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database

# The JSON contract's keys, in order (the CSV's columns too, after the group's key).
TOTAL_KEYS = ("consumed_liters", "reversed_liters", "net_liters", "consumes", "batches")
ROW_KEYS = ("key", *TOTAL_KEYS)


@dataclass(frozen=True, slots=True)
class ConsumptionReport:
    by: Grouping
    period: ReportPeriod
    time_zone: str
    rows: list[ConsumptionRow]
    # Of the whole period: its batches are distinct over all groups, not the rows' sum.
    total: ConsumptionTotals


def consumption_report(
    database: Database, *, by: Grouping = Grouping.ORDER, period: ReportPeriod | None = None
) -> ConsumptionReport:
    """The totals per group (ordered by key; consumes without an order last) and overall."""
    if not isinstance(database, StoredDatabase):
        raise TypeError(f"the consumption report needs a stored database, not {database!r}")
    period = period or ReportPeriod()
    with database.unit_of_work() as uow:
        consumption = ConsumptionRepository(uow.connection)
        consumption.read_as_one_snapshot()
        settings = settings_from(uow.settings.all())
        zone = settings.zone
        since, until = period.since(zone), period.until(zone)
        total = consumption.total(since=since, until=until)
        if by is Grouping.ORDER:
            rows = consumption.by_order(since=since, until=until)
        elif by is Grouping.OPERATOR:
            rows = consumption.by_operator(since=since, until=until)
        else:
            # Only the days that can hold a consume: an open period starts at the first.
            span = consumption.consume_span(since=since, until=until)
            spans = (
                []
                if span is None
                else day_spans(day_of(span[0], zone), day_of(span[1], zone), zone)
            )
            rows = consumption.by_day(spans)
    # NULL sorts first on SQLite and last on PostgreSQL: "(no order)" goes last on both.
    rows.sort(key=lambda row: (row.key is None, row.key or ""))
    return ConsumptionReport(by, period, settings.time_zone, rows, total)


def totals_to_dict(totals: ConsumptionTotals) -> dict[str, Any]:
    return {
        "consumed_liters": format_liters(from_milliliters(totals.consumed_ml)),
        "reversed_liters": format_liters(from_milliliters(totals.reversed_ml)),
        "net_liters": format_liters(from_milliliters(totals.net_ml)),
        "consumes": totals.consumes,
        "batches": totals.batches,
    }


def report_to_dict(report: ConsumptionReport) -> dict[str, Any]:
    """The JSON contract: {"by", "from", "to", "time_zone", "rows", "total"}."""
    first, last = report.period.first, report.period.last
    return {
        "by": report.by.value,
        "from": None if first is None else first.isoformat(),
        "to": None if last is None else last.isoformat(),
        "time_zone": report.time_zone,
        "rows": [{"key": row.key, **totals_to_dict(row.totals)} for row in report.rows],
        "total": totals_to_dict(report.total),
    }
