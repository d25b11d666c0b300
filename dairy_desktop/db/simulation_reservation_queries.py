"""What the simulator's reservation check reads straight from the tables: each run
batch's reserved_ml, the order and planned day on each of its audit events, and its
reservations rows.

Plain SQL, deliberately not through the repositories whose behaviour the check judges;
read after the workstations have stopped, in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow, BatchRow, ReservationRow


class StoredReservationRow(NamedTuple):
    batch_id: int
    order_id: str
    reserved_ml: int
    planned_for: date


class RunReservations(NamedTuple):
    reserved_ml: dict[int, int]  # batch id -> batches.reserved_ml
    # audit event id -> (order id, reserved_for), for every event of the run's batches
    event_orders: dict[int, tuple[str | None, date | None]]
    rows: list[StoredReservationRow]


def run_reservations(database: Database, run: str) -> RunReservations:
    """The reservation side of the batches whose code starts with `run`-."""
    of_run = BatchRow.code.like(f"{run}-%")
    batches = select(BatchRow.id, BatchRow.reserved_ml).where(of_run)
    events = (
        select(AuditEventRow.id, AuditEventRow.order_id, AuditEventRow.reserved_for)
        .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
        .where(of_run)
    )
    rows = (
        select(
            ReservationRow.batch_id,
            ReservationRow.order_id,
            ReservationRow.reserved_ml,
            ReservationRow.planned_for,
        )
        .join(BatchRow, BatchRow.id == ReservationRow.batch_id)
        .where(of_run)
        .order_by(ReservationRow.batch_id, ReservationRow.order_id)
    )
    with database.engine.connect() as connection, connection.begin():
        return RunReservations(
            reserved_ml={int(i): int(ml) for i, ml in connection.execute(batches)},
            event_orders={int(i): (o, d) for i, o, d in connection.execute(events)},
            rows=[StoredReservationRow._make(row) for row in connection.execute(rows)],
        )
