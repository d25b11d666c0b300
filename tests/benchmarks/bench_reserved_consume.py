"""Benchmark: what reservations cost a consume, on PostgreSQL and SQLite, one process.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_reserved_consume [--count 1000]

Times `count` real consumes (consume_once, no expected version) of 1 mL each on one large
batch in three ways: for no order; for an order holding no reservation on the batch (one
extra index look-up on PostgreSQL); and for an order drawing on its own reservation (the
batch's row locked first, the reservation read and shrunk in the same statement). Reports
consumes per second and the median latency. A throwaway PostgreSQL server is started and
always stopped.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reservations import reserve_once
from tests.benchmarks.pgbench_ceiling import create_migrated_database
from tests.support.postgres_server import remove_server, start_server
from tests.support.qa_gate import set_qa_gate

ANN = Actor(operator="ann", workstation="PC-1")
CODE = "SCH-20251204-0001"
MINE, OTHER = "ORDER-20251204-0001", "ORDER-20251204-0002"


def _stock(database: Database, count: int) -> None:
    set_qa_gate(database, False)  # a new plant's gate is on: this batch is usable at once
    register_batch(
        database,
        code=CODE,
        liters="99999",
        shelf_life_days=5,
        received_at=datetime.now(UTC) - timedelta(hours=1),
        actor=ANN,
    )
    # Enough of its own for every drawing consume, and another order's litres beside it.
    reserve_once(
        database, CODE, f"{count / 1000 + 1}", order_id=MINE, planned_for=date.today(), actor=ANN
    )
    reserve_once(database, CODE, "100", order_id=OTHER, planned_for=date.today(), actor=ANN)


def _time(database: Database, count: int, order: str | None) -> tuple[float, float]:
    latencies = []
    started = time.perf_counter()
    for _ in range(count):
        before = time.perf_counter()
        consume_once(database, CODE, "0.001", order_id=order, actor=ANN)
        latencies.append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    return count / elapsed, statistics.median(latencies) * 1000


def _run(kind: str, url: str, count: int) -> None:
    database = open_database(url)
    try:
        _stock(database, count)
        for label, order in (
            ("no order", None),
            ("order, no reservation here", "ORDER-20251204-0003"),
            ("order drawing on its reservation", MINE),
        ):
            rate, p50 = _time(database, count, order)
            print(f"{kind:10} {label:34} {rate:7.0f} consumes/s  p50 {p50:5.2f} ms")
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    server = start_server()
    try:
        _run("postgresql", create_migrated_database(server, "dairy_bench_reserved"), count)
    finally:
        remove_server(server)
    with tempfile.TemporaryDirectory() as folder:
        _run("sqlite", f"sqlite:///{Path(folder, 'bench.sqlite3').as_posix()}", count)


if __name__ == "__main__":
    main()
