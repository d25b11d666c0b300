"""What the simulator reads straight from the tables: the guard against a real plant
database, the last run's number, and everything a run left behind for its checks.

Plain SQL, deliberately not through the repositories whose behaviour the checks judge.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow, BatchRow


class RunBatch(NamedTuple):
    id: int
    code: str
    initial_ml: int
    remaining_ml: int
    version: int


class RunEvent(NamedTuple):
    batch_id: int
    action: str
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int


class WorkstationTotal(NamedTuple):
    workstation: str
    action: str
    events: int
    liters_ml: int  # Σ over the events; 0 where none carry litres


class RunRecords(NamedTuple):
    batches: list[RunBatch]
    events: list[RunEvent]  # ordered by batch, then as they happened
    totals: list[WorkstationTotal]


def batches_without_prefix(database: Database, prefix: str) -> tuple[int, str | None]:
    """How many batches have a code not starting with `prefix`-, and the first such code."""
    query = select(func.count(), func.min(BatchRow.code)).where(
        BatchRow.code.not_like(f"{prefix}-%")
    )
    with database.engine.connect() as connection:
        count, example = connection.execute(query).one()
    return int(count), example


def last_code_with_prefix(database: Database, prefix: str) -> str | None:
    """The greatest code starting with `prefix`-, if any."""
    query = select(func.max(BatchRow.code)).where(BatchRow.code.like(f"{prefix}-%"))
    with database.engine.connect() as connection:
        last: str | None = connection.execute(query).scalar_one()
    return last


def run_records(database: Database, run: str) -> RunRecords:
    """Batches whose code, and audit totals whose workstation, starts with `run`-, read in
    one transaction."""
    of_run = BatchRow.code.like(f"{run}-%")
    batches = select(
        BatchRow.id, BatchRow.code, BatchRow.initial_ml, BatchRow.remaining_ml, BatchRow.version
    ).where(of_run)
    events = (
        select(
            AuditEventRow.batch_id,
            AuditEventRow.action,
            AuditEventRow.liters_ml,
            AuditEventRow.remaining_after_ml,
            AuditEventRow.version_after,
        )
        .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
        .where(of_run)
        .order_by(AuditEventRow.batch_id, AuditEventRow.id)
    )
    totals = (
        select(
            AuditEventRow.workstation,
            AuditEventRow.action,
            func.count(),
            func.sum(AuditEventRow.liters_ml),
        )
        .where(AuditEventRow.workstation.like(f"{run}-%"))
        .group_by(AuditEventRow.workstation, AuditEventRow.action)
    )
    with database.engine.connect() as connection:
        return RunRecords(
            batches=[RunBatch(*row) for row in connection.execute(batches)],
            events=[RunEvent(*row) for row in connection.execute(events)],
            totals=[
                WorkstationTotal(name, action, int(count), int(liters or 0))
                for name, action, count, liters in connection.execute(totals)
            ],
        )
