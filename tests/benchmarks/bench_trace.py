"""How long `trace batch`, `trace order` and the recall list take over a large trail, on
SQLite and PostgreSQL.

    .venv/bin/python -m tests.benchmarks.bench_trace [batches] [runs]

Bulk-loads `batches` (default 100,000) batches with ten events each (1,000,000 events):
a register, a QA pass, seven consumes, a spillage write-off, except that on every fifth
batch the last consume is reversed instead of the write-off. The consumes of ten neighbouring batches go to one order
(10,000 orders, about 70 consumes each, as an order drawing on a day's deliveries). Then
times trace_batch, trace_order and export_recall_csv on a batch and an order in the middle
of the trail (median of `runs`, default 7). Traces only read, so the events are not
hash-chained. The PostgreSQL server is the test suite's throwaway one (started here,
removed at the end). Target (issue 14): under 1 s each.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.services.recall_export import export_recall_csv
from dairy_desktop.services.trace import trace_batch, trace_order
from tests.benchmarks.bulk_load import fill
from tests.support.postgres_server import remove_server, start_server

PER_BATCH = 10
START = datetime(2025, 1, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
CHUNK = 20_000
INITIAL_ML = 100_000_000
_EVENT = text(
    "INSERT INTO audit_events (id, at, batch_id, action, liters_ml, remaining_after_ml,"
    " version_after, order_id, operator, workstation, reason_code, reverses_id, qa_test,"
    " qa_result, qa_analyst) VALUES (:id, :at, :batch_id, :action, :liters_ml,"
    " :remaining_after_ml, :version_after, :order_id, :operator, :workstation, :reason_code,"
    " :reverses_id, :qa_test, :qa_result, :qa_analyst)"
)
_EMPTY = dict.fromkeys(
    ("liters_ml", "order_id", "reason_code", "reverses_id", "qa_test", "qa_result", "qa_analyst")
)


def order_of(batch_id: int) -> str:
    return f"ORDER-20250101-{((batch_id - 1) // 10) % 10_000:04d}"


def _batch_events(batch_id: int, first_id: int, step: timedelta) -> list[dict[str, object]]:
    remaining = INITIAL_ML
    events: list[dict[str, object]] = []

    def add(action: str, **values: object) -> None:
        event_id = first_id + len(events)
        events.append(
            {
                **_EMPTY,
                "id": event_id,
                "at": START + step * event_id,
                "batch_id": batch_id,
                "action": action,
                "remaining_after_ml": remaining,
                "version_after": len(events) + 1,
                "operator": f"operator-{event_id % 20:02d}",
                "workstation": f"PC-{event_id % 4}",
                **values,
            }
        )

    add("register", liters_ml=INITIAL_ML)
    add("qa", qa_test="beta-lactam", qa_result="pass", qa_analyst="lab")
    for n in range(7):
        liters = 1_000 + (batch_id * 7 + n) % 997
        remaining -= liters
        add("consume", liters_ml=liters, order_id=order_of(batch_id))
    if batch_id % 5 == 0:  # the last consume put back
        last = events[-1]
        remaining += int(last["liters_ml"])  # type: ignore[call-overload]
        add("reverse", liters_ml=last["liters_ml"], reverses_id=last["id"])
    else:
        remaining -= 1_000
        add("dispose", liters_ml=1_000, reason_code="spillage")
    return events


def _rows(batches: int) -> Iterator[tuple[list[dict[str, object]], list[dict[str, object]]]]:
    step = YEAR / (batches * PER_BATCH)
    next_id = 1
    chunk_batches: list[dict[str, object]] = []
    chunk_events: list[dict[str, object]] = []
    for batch_id in range(1, batches + 1):
        events = _batch_events(batch_id, next_id, step)
        next_id += len(events)
        chunk_events.extend(events)
        at = events[0]["at"]
        chunk_batches.append(
            {
                "id": batch_id,
                "code": f"BEN-{batch_id:08d}",
                "shelf_life_days": 5,
                "received_at": at,
                "expires_at": at + timedelta(days=5),  # type: ignore[operator]
                "initial_ml": INITIAL_ML,
                "remaining_ml": events[-1]["remaining_after_ml"],
                "version": len(events),
                "updated_at": at,
            }
        )
        if len(chunk_events) >= CHUNK:
            yield chunk_batches, chunk_events
            chunk_batches, chunk_events = [], []
    if chunk_batches:
        yield chunk_batches, chunk_events


def _fill(database: Database, batches: int) -> int:
    return fill(database, _rows(batches), _EVENT)


def _median(work: Callable[[], object], runs: int) -> float:
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        took.append(time.perf_counter() - started)
    return statistics.median(took)


def _measure(url: str, label: str, batches: int, runs: int, folder: Path) -> None:
    database = open_database(url)
    try:
        started = time.perf_counter()
        events = _fill(database, batches)
        print(f"{label}: {batches:,} batches, {events:,} events, filled in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        middle = batches // 2
        code, order = f"BEN-{middle:08d}", order_of(middle)
        found = trace_order(database, order)
        uses = sum(len(batch.uses) for batch in found.batches)
        path = folder / f"recall-{label}.csv"
        for name, work in (
            (f"trace batch {code}", lambda: trace_batch(database, code)),
            (
                f"trace order {order} ({len(found.batches)} batches, {uses} uses)",
                lambda: trace_order(database, order),
            ),
            (f"trace recall {code} --csv", lambda: export_recall_csv(database, code, path)),
        ):
            print(f"  {name:<62} {_median(work, runs) * 1000:8.1f} ms (median of {runs})")
    finally:
        database.dispose()


def main() -> None:
    batches = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _measure(f"sqlite:///{folder / 'bench.sqlite3'}", "SQLite", batches, runs, folder)
        server = start_server()
        try:
            _measure(server.url("postgres"), "PostgreSQL", batches, runs, folder)
        finally:
            remove_server(server)


if __name__ == "__main__":
    main()
