"""This run's batches and audit events, read straight from the tables in one transaction.

Plain SQL through the models, not through the services under test, whose bugs the checks are
meant to catch. Codes and workstation names carry the run number, so older runs in the same
database are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow, BatchRow


@dataclass(frozen=True)
class BatchState:
    code: str
    initial_ml: int
    remaining_ml: int
    version: int


@dataclass(frozen=True)
class Event:
    action: str
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int


@dataclass(frozen=True)
class Snapshot:
    batches: dict[int, BatchState]  # by batch id
    events: dict[int, list[Event]]  # by batch id, in audit order
    # (workstation, action) -> (events, Σ litres in mL), for every workstation of the run
    per_workstation: dict[tuple[str, str], tuple[int, int]]


def read_snapshot(database: Database, run: str) -> Snapshot:
    of_run = BatchRow.code.like(f"{run}-%")
    with database.engine.connect() as connection:
        batch_rows = connection.execute(
            select(
                BatchRow.id,
                BatchRow.code,
                BatchRow.initial_ml,
                BatchRow.remaining_ml,
                BatchRow.version,
            ).where(of_run)
        ).all()
        event_rows = connection.execute(
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
        ).all()
        count_rows = connection.execute(
            select(
                AuditEventRow.workstation,
                AuditEventRow.action,
                func.count(),
                func.sum(AuditEventRow.liters_ml),
            )
            .where(AuditEventRow.workstation.like(f"{run}-%"))
            .group_by(AuditEventRow.workstation, AuditEventRow.action)
        ).all()
    events: dict[int, list[Event]] = defaultdict(list)
    for row in event_rows:
        events[row.batch_id].append(
            Event(row.action, row.liters_ml, row.remaining_after_ml, row.version_after)
        )
    return Snapshot(
        batches={
            row.id: BatchState(row.code, row.initial_ml, row.remaining_ml, row.version)
            for row in batch_rows
        },
        events=events,
        per_workstation={(r[0], r[1]): (int(r[2]), int(r[3] or 0)) for r in count_rows},
    )
