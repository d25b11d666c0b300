"""What the simulator reads straight from the tables: the guard against a real plant
database, the last run's number, and everything a run left behind for its checks (with the
QA gate's two plant settings, read as the change functions read them).

Plain SQL, deliberately not through the repositories whose behaviour the checks judge.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.db.repositories.qa_gate import qa_release_required, required_tests


class RunBatch(NamedTuple):
    id: int
    code: str
    initial_ml: int
    remaining_ml: int
    version: int
    qa_state: str
    held: bool
    recalled: bool
    deleted: bool


class RunEvent(NamedTuple):
    batch_id: int
    id: int
    action: str
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int
    reverses_id: int | None
    qa_test: str | None
    qa_result: str | None
    reason_code: str | None


class WorkstationTotal(NamedTuple):
    workstation: str
    action: str
    events: int
    liters_ml: int  # Σ over the events; 0 where none carry litres


class RunRecords(NamedTuple):
    batches: list[RunBatch]
    events: list[RunEvent]  # ordered by batch, then as they happened
    totals: list[WorkstationTotal]
    gate_on: bool  # plant setting qa_release_required (a missing row: on)
    required_tests: frozenset[str]


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
        BatchRow.id,
        BatchRow.code,
        BatchRow.initial_ml,
        BatchRow.remaining_ml,
        BatchRow.version,
        BatchRow.qa_state,
        BatchRow.held_at.is_not(None),
        BatchRow.recalled_at.is_not(None),
        BatchRow.deleted_at.is_not(None),
    ).where(of_run)
    events = (
        select(
            AuditEventRow.batch_id,
            AuditEventRow.id,
            AuditEventRow.action,
            AuditEventRow.liters_ml,
            AuditEventRow.remaining_after_ml,
            AuditEventRow.version_after,
            AuditEventRow.reverses_id,
            AuditEventRow.qa_test,
            AuditEventRow.qa_result,
            AuditEventRow.reason_code,
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
    with database.engine.connect() as connection, connection.begin():
        return RunRecords(
            batches=[
                RunBatch(*row[:6], bool(row[6]), bool(row[7]), bool(row[8]))
                for row in connection.execute(batches)
            ],
            events=[RunEvent._make(row) for row in connection.execute(events)],
            totals=[
                WorkstationTotal(name, action, int(count), int(liters or 0))
                for name, action, count, liters in connection.execute(totals)
            ],
            gate_on=qa_release_required(connection),
            required_tests=required_tests(connection),
        )
