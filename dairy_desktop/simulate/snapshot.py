"""This run's batches and audit events, read straight from the tables in one transaction.

Read by dairy_desktop.db.simulation_queries with plain SQL, not through the services under
test, whose bugs the checks are meant to catch. Codes and workstation names carry the run
number, so older runs in the same database are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dairy_desktop.db.database import Database
from dairy_desktop.db.simulation_queries import run_records


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


def read_snapshot(database: Database, run: str) -> Snapshot:
    records = run_records(database, run)
    events: dict[int, list[Event]] = defaultdict(list)
    for row in records.events:
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
            )
        )
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
    )
