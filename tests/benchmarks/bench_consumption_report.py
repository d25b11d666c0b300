"""How long `report consumption` takes over a large trail, on SQLite and PostgreSQL.

    .venv/bin/python -m tests.benchmarks.bench_consumption_report [batches] [runs]

Bulk-loads `batches` (default 100,000) batches, each with a register and nine consumes
(1,000,000 events) spread over a year, for 10,000 orders (every tenth consume without one)
by 20 operators, and a reversal of the last consume of every fifth batch; then times the
report by order, day and operator over all time and over one week (median of `runs`,
default 5). The report only sums, so the events are not hash-chained. The PostgreSQL
server is the test suite's throwaway one (started here, removed at the end).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.domain.consumption import Grouping
from dairy_desktop.domain.report_period import ReportPeriod
from dairy_desktop.services.consumption_report import consumption_report
from tests.benchmarks.bulk_load import fill
from tests.support.postgres_server import remove_server, start_server

PER_BATCH = 10
START = datetime(2025, 1, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
CHUNK = 20_000
_EVENT = text(
    "INSERT INTO audit_events (id, at, batch_id, action, liters_ml, remaining_after_ml,"
    " version_after, order_id, operator, workstation, reverses_id) VALUES"
    " (:id, :at, :batch_id, :action, :liters_ml, :remaining_after_ml, :version_after,"
    " :order_id, :operator, :workstation, :reverses_id)"
)


def _rows(batches: int) -> Iterator[tuple[list[dict[str, object]], list[dict[str, object]]]]:
    step = YEAR / (batches * PER_BATCH)
    event_id = 0
    chunk_batches: list[dict[str, object]] = []
    chunk_events: list[dict[str, object]] = []
    for batch_id in range(1, batches + 1):
        remaining, version = 100_000_000, 0
        for n in range(PER_BATCH):
            event_id += 1
            version += 1
            consume = n > 0
            if consume:
                remaining -= 1_000 + event_id % 997
            chunk_events.append(
                {
                    "id": event_id,
                    "at": START + step * event_id,
                    "batch_id": batch_id,
                    "action": "consume" if consume else "register",
                    "liters_ml": 1_000 + event_id % 997 if consume else 100_000_000,
                    "remaining_after_ml": remaining,
                    "version_after": version,
                    "order_id": (
                        f"ORDER-20250101-{event_id % 10_000:04d}"
                        if consume and event_id % 10
                        else None
                    ),
                    "operator": f"operator-{event_id % 20:02d}",
                    "workstation": "PC-1",
                    "reverses_id": None,
                }
            )
        if batch_id % 5 == 0:  # the last consume put back, a moment later
            last = chunk_events[-1]
            event_id += 1
            version += 1
            remaining += int(last["liters_ml"])  # type: ignore[call-overload]
            chunk_events.append(
                {
                    **last,
                    "id": event_id,
                    "action": "reverse",
                    "order_id": None,
                    "remaining_after_ml": remaining,
                    "version_after": version,
                    "reverses_id": last["id"],
                }
            )
        at = START + step * (event_id - PER_BATCH)
        chunk_batches.append(
            {
                "id": batch_id,
                "code": f"BEN-{batch_id:08d}",
                "shelf_life_days": 5,
                "received_at": at,
                "expires_at": at + timedelta(days=5),
                "initial_ml": 100_000_000,
                "remaining_ml": remaining,
                "version": version,
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


def _median(database: Database, by: Grouping, period: ReportPeriod, runs: int) -> tuple[float, int]:
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        report = consumption_report(database, by=by, period=period)
        took.append(time.perf_counter() - started)
    return statistics.median(took), len(report.rows)


def _measure(url: str, label: str, batches: int, runs: int) -> None:
    database = open_database(url)
    try:
        started = time.perf_counter()
        events = _fill(database, batches)
        print(f"{label}: {batches:,} batches, {events:,} events, filled in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        week = ReportPeriod(date(2025, 6, 2), date(2025, 6, 8))
        for name, period in (("all time", ReportPeriod()), ("one week", week)):
            for by in Grouping:
                seconds, rows = _median(database, by, period, runs)
                print(f"  {name:<9} by {by.value:<9} {seconds * 1000:8.1f} ms  ({rows:,} rows)")
    finally:
        database.dispose()


def main() -> None:
    batches = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        _measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite", batches, runs)
    server = start_server()
    try:
        _measure(server.url("postgres"), "PostgreSQL", batches, runs)
    finally:
        remove_server(server)


if __name__ == "__main__":
    main()
