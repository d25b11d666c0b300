"""Consumption totals summed by the database: consume events, minus the reversals that undid
them, per order, operator or plant day; exact integer millilitres, never a row per event
sent to Python.

Each consume is joined to its reversal (if any) through the unique index on reverses_id, so
a reversal lands in the consume's own group and period whenever it was made. A period is a
range on `at`, which ix_audit_events_at serves; plant days are a small VALUES table (a CTE) of UTC
bounds computed from the plant's zone (domain.report_period), the same on both databases:
SQLite knows no time zones, and the server's zone database need not match the PCs'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    String,
    column,
    func,
    select,
    values,
)
from sqlalchemy.orm import aliased, join, outerjoin

from dairy_desktop.db.models import AuditEventRow
from dairy_desktop.db.types import UTCDateTime
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.consumption import ConsumptionRow, ConsumptionTotals
from dairy_desktop.domain.report_period import PlantDay

# Days per statement: three bound values each stays far below SQLite's 32,766 limit.
DAYS_PER_STATEMENT = 400

_consume = aliased(AuditEventRow, name="consume")
_reversal = aliased(AuditEventRow, name="reversal")
_REVERSAL_OF_CONSUME = _reversal.reverses_id == _consume.id
# A reverse's reverses_id is unique: the outer join never repeats a consume.
_WITH_REVERSALS = outerjoin(_consume, _reversal, _REVERSAL_OF_CONSUME)
_MEASURES = (
    func.coalesce(func.sum(_consume.liters_ml), 0),
    func.coalesce(func.sum(_reversal.liters_ml), 0),
    func.count(_consume.id),
    func.count(_consume.batch_id.distinct()),
)


def _period(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    conditions = [_consume.action == AuditAction.CONSUME.value]
    if since is not None:
        conditions.append(_consume.at >= since)
    if until is not None:
        conditions.append(_consume.at < until)
    return conditions


def _totals(row: Sequence[Any]) -> ConsumptionTotals:
    consumed, reversed_, consumes, batches = (int(value) for value in row)
    return ConsumptionTotals(consumed, reversed_, consumes, batches)


class ConsumptionRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def read_as_one_snapshot(self) -> None:
        """Make every read of this transaction see the same instant, so the rows add up to
        the total while other PCs consume. Call before any other statement. PostgreSQL:
        REPEATABLE READ (a read-only snapshot never conflicts); SQLite: a transaction
        already reads one snapshot."""
        if self._connection.dialect.name == "postgresql":
            self._connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    def total(self, *, since: datetime | None, until: datetime | None) -> ConsumptionTotals:
        """Everything consumed in [since, until) (None: unbounded)."""
        query = select(*_MEASURES).select_from(_WITH_REVERSALS)
        return _totals(self._connection.execute(query.where(*_period(since, until))).one())

    def consume_span(
        self, *, since: datetime | None, until: datetime | None
    ) -> tuple[datetime, datetime] | None:
        """The first and last consume's instants in [since, until); None if there is none."""
        # min/max keep the column's type, so these come back as aware UTC datetimes.
        first, last = self._connection.execute(
            select(func.min(_consume.at), func.max(_consume.at)).where(*_period(since, until))
        ).one()
        return None if first is None or last is None else (first, last)

    def by_order(self, *, since: datetime | None, until: datetime | None) -> list[ConsumptionRow]:
        """Per order id (None: consumed without an order)."""
        return self._grouped(_consume.order_id, _period(since, until))

    def by_operator(
        self, *, since: datetime | None, until: datetime | None
    ) -> list[ConsumptionRow]:
        """Per operator who consumed (a reversal counts where its consume does)."""
        return self._grouped(_consume.operator, _period(since, until))

    def by_day(self, days: Sequence[PlantDay]) -> list[ConsumptionRow]:
        """Per plant day of `days` that had a consume."""
        rows: list[ConsumptionRow] = []
        for first in range(0, len(days), DAYS_PER_STATEMENT):
            chunk = days[first : first + DAYS_PER_STATEMENT]
            rows_of_days = values(
                column("day", String()),
                column("starts", UTCDateTime()),
                column("ends", UTCDateTime()),
                name="plant_days",
            ).data([(d.day.isoformat(), d.starts, d.ends) for d in chunk])
            # A CTE: SQLite takes WITH t(a, b) AS (VALUES ...), not (VALUES ...) AS t(a, b).
            table = rows_of_days.cte("plant_days")
            in_day = (_consume.at >= table.c.starts) & (_consume.at < table.c.ends)
            source = outerjoin(join(_consume, table, in_day), _reversal, _REVERSAL_OF_CONSUME)
            # The chunk's whole span as well: a plain range the index on `at` can serve.
            period = _period(chunk[0].starts, chunk[-1].ends)
            rows.extend(self._grouped(table.c.day, period, source))
        return rows

    def _grouped(
        self,
        key: Any,
        conditions: list[ColumnElement[bool]],
        source: FromClause = _WITH_REVERSALS,
    ) -> list[ConsumptionRow]:
        # Unordered: the service sorts, the same on both databases (NULLs, collations).
        query = select(key, *_MEASURES).select_from(source).where(*conditions).group_by(key)
        return [
            ConsumptionRow(None if row[0] is None else str(row[0]), _totals(row[1:]))
            for row in self._connection.execute(query)
        ]
