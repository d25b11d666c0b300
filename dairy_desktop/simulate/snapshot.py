"""This run's batches and audit events, read straight from the tables in one transaction.

Read by dairy_desktop.db.simulation_queries with plain SQL, not through the services under
test, whose bugs the checks are meant to catch. Codes and workstation names carry the run
number, so older runs in the same database are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from dairy_desktop.db.database import Database
from dairy_desktop.db.simulation_queries import run_records
from dairy_desktop.db.simulation_reservation_queries import run_reservations


@dataclass(frozen=True)
class BatchState:
    code: str
    initial_ml: int
    remaining_ml: int
    version: int
    # The lifecycle as the row stores it.
    qa_state: str = "released"
    held: bool = False
    recalled: bool = False
    deleted: bool = False
    reserved_ml: int = 0  # litres promised to orders, as the row stores them


@dataclass(frozen=True)
class Event:
    id: int
    action: str
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int
    reverses_id: int | None = None
    qa_test: str | None = None
    qa_result: str | None = None
    reason_code: str | None = None
    order_id: str | None = None
    reserved_for: date | None = None  # reserve: the plant day the order plans for


# order id -> (mL reserved, planned day): one batch's reservations
Reservations = dict[str, tuple[int, date]]


@dataclass(frozen=True)
class Snapshot:
    batches: dict[int, BatchState]  # by batch id
    events: dict[int, list[Event]]  # by batch id, in audit order
    # (workstation, action) -> (events, Σ litres in mL), for every workstation of the run
    per_workstation: dict[tuple[str, str], tuple[int, int]]
    # The plant's QA gate, which a run switches on before its first batch and never changes:
    # every batch of the run starts awaiting QA, and a pass of every required test releases it.
    gate_on: bool = True
    required_tests: frozenset[str] = frozenset({"beta-lactam"})
    # The reservations table, by batch id (batches without reservations absent).
    reservations: dict[int, Reservations] = field(default_factory=dict)


def read_snapshot(database: Database, run: str) -> Snapshot:
    """Read after the workstations have stopped: the reservation side comes from a second
    transaction, which sees the same committed state."""
    records = run_records(database, run)
    promised = run_reservations(database, run)
    events: dict[int, list[Event]] = defaultdict(list)
    for row in records.events:
        order_id, reserved_for = promised.event_orders.get(row.id, (None, None))
        events[row.batch_id].append(
            Event(
                row.id,
                row.action,
                row.liters_ml,
                row.remaining_after_ml,
                row.version_after,
                row.reverses_id,
                row.qa_test,
                row.qa_result,
                row.reason_code,
                order_id,
                reserved_for,
            )
        )
    reservations: dict[int, Reservations] = defaultdict(dict)
    for held in promised.rows:
        reservations[held.batch_id][held.order_id] = (held.reserved_ml, held.planned_for)
    return Snapshot(
        batches={
            row.id: BatchState(
                row.code,
                row.initial_ml,
                row.remaining_ml,
                row.version,
                row.qa_state,
                row.held,
                row.recalled,
                row.deleted,
                promised.reserved_ml.get(row.id, 0),
            )
            for row in records.batches
        },
        events=events,
        per_workstation={
            (total.workstation, total.action): (total.events, total.liters_ml)
            for total in records.totals
        },
        gate_on=records.gate_on,
        required_tests=records.required_tests,
        reservations=dict(reservations),
    )
