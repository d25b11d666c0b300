"""The production plan's sums (domain/plan.py), added up by the database in one query.

Only batches expiring inside the plan's window are read (ix_batches_expires_at), and each
day's sums come back as one row: the plan costs the same at 100,000 batches as at 1,000.
The days are cut at the local midnights the caller computed (domain.plan.day_starts), so
the database needs no time-zone rules of its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, case, func, select

from dairy_desktop.db.models import BatchRow
from dairy_desktop.domain.plan import DayTotals
from dairy_desktop.domain.qa import QaState


def plan_totals(
    connection: Connection, *, after: datetime, day_starts: list[datetime]
) -> list[DayTotals]:
    """Per day, the sums over batches expiring in it (and after `after`) that may still be
    used some day: not deleted, not empty, not rejected, not recalled."""
    days = len(day_starts) - 1
    day = case(
        *[(BatchRow.expires_at < day_starts[i + 1], i) for i in range(days)], else_=days
    ).label("day")
    held = BatchRow.held_at.is_not(None)
    with_fat = BatchRow.fat_centi.is_not(None)
    query = (
        select(
            day,
            func.count(),
            func.sum(BatchRow.remaining_ml - BatchRow.reserved_ml),
            func.sum(BatchRow.reserved_ml),
            func.sum(case((held, 1), else_=0)),
            func.sum(case((~held & (BatchRow.qa_state == QaState.PENDING.value), 1), else_=0)),
            func.sum(case((with_fat, BatchRow.remaining_ml), else_=0)),
            func.sum(case((with_fat, BatchRow.remaining_ml * BatchRow.fat_centi), else_=0)),
        )
        .where(
            BatchRow.expires_at > after,
            BatchRow.expires_at >= day_starts[0],
            BatchRow.expires_at < day_starts[-1],
            BatchRow.deleted_at.is_(None),
            BatchRow.remaining_ml > 0,
            BatchRow.recalled_at.is_(None),
            BatchRow.qa_state != QaState.REJECTED.value,
        )
        .group_by(day)
    )
    totals = [DayTotals() for _ in range(days)]
    for index, count, available, reserved, on_hold, pending, weight, fat in connection.execute(
        query
    ):
        # PostgreSQL sums BIGINT into NUMERIC (a Decimal here): exact, made int again.
        totals[index] = DayTotals(
            available=int(available),
            reserved=int(reserved),
            batches=int(count),
            on_hold=int(on_hold),
            awaiting_qa=int(pending),
            fat_weight=int(weight),
            fat_total=int(fat),
        )
    return totals
