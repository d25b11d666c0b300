"""Benchmark: `simulate` at 4, 16 and 64 workstations on PostgreSQL, next to pgbench's hot-row
ceiling measured in the same run, on the same throwaway server.

Not part of the test run. From the repository root:

    .venv/bin/python -m tests.benchmarks.bench_simulate [--duration 60] [--levels 4,16,64]

Each level gets a fresh database and a full simulation (spawned processes, operators thinking
0–200 ms in dialogs, conflicts handled as the dialog does) followed by its consistency checks.
pgbench then runs the database's floor for a consume — one guarded UPDATE of ONE row plus the
audit INSERT, per transaction (custom script, -c N -j 2 -T 10) — with and without the
pg_notify the app also sends, at the same client counts. The simulator is paced by people
(think time), so its throughput is a load level, not a ceiling: the columns to compare are
its p95 against the think time and its changes/s against what the hot row allows.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dairy_desktop.db.database import open_database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.register import register_batch
from dairy_desktop.simulate.config import SimulationConfig
from dairy_desktop.simulate.report import summary
from dairy_desktop.simulate.run import run_simulation
from tests.benchmarks.pgbench_ceiling import create_migrated_database, pgbench_tps
from tests.support.postgres_server import PostgresServer, remove_server, start_server

HOT_CODE = "PGB-20250101-0001"
# The QA gate's operations (the PCs work behind it): QA results, holds, write-offs, reversals.
LIFECYCLE = ("qa", "hold", "release", "recall", "dispose", "reverse")
PGBENCH_DATABASE = "bench_pgbench"


@dataclass(frozen=True)
class Row:
    workstations: int
    data: dict[str, Any]
    pgbench_tps: float
    pgbench_notify_tps: float
    client_cores: float  # CPU the workstation processes used, in cores
    load_before: float  # others' work on this box skews everything: say how much there was


def _prepare_hot_row(server: PostgresServer) -> None:
    database = open_database(create_migrated_database(server, PGBENCH_DATABASE))
    try:
        register_batch(
            database,
            code=HOT_CODE,
            liters="1000000",  # a billion 1 mL consumes before it could run out
            shelf_life_days=30,
            received_at=datetime.now(UTC) - timedelta(minutes=1),
            actor=Actor(operator="bench", workstation="bench"),
        )
    finally:
        database.dispose()


def run_pgbench(server: PostgresServer, clients: int, seconds: int, *, notify: bool) -> float:
    return pgbench_tps(server, PGBENCH_DATABASE, HOT_CODE, clients, seconds, notify=notify)


def _format(rows: list[Row], duration: float, pgbench_seconds: int) -> str:
    headers = (
        "PCs",
        "ops/s",
        "changes/s",
        "consumes/s",
        "conflict rate",
        "consume p50 ms",
        "consume p95 ms",
        "lifecycle/s",
        "checks",
        "PC CPU (cores)",
        "load",
        "pgbench tps",
        "+notify tps",
    )
    lines = [
        f"simulate on PostgreSQL, {duration:g} s per level; pgbench: one hot row, "
        f"UPDATE + audit INSERT per transaction, -c PCs -j 2 -T {pgbench_seconds}; "
        f"{os.cpu_count()} CPUs (load: 1-minute load average before the level)",
        "  ".join(headers),
    ]
    for row in rows:
        d, consume = row.data, row.data["operations"]["consume"]
        consumes = consume["per_s"] + d["operations"]["scan"]["per_s"]
        cells = (
            f"{row.workstations:>3}",
            f"{d['throughput_per_s']:>5.0f}",
            f"{d['changes_per_s']:>9.0f}",
            f"{consumes:>10.0f}",
            f"{d['conflict_rate']:>13.1%}",
            f"{consume['p50_ms']:>14.1f}",
            f"{consume['p95_ms']:>14.1f}",
            f"{sum(d['operations'][name]['per_s'] for name in LIFECYCLE):>11.1f}",
            f"{'pass' if d['passed'] else 'FAIL':>6}",
            f"{row.client_cores:>14.2f}",
            f"{row.load_before:>4.1f}",
            f"{row.pgbench_tps:>11.0f}",
            f"{row.pgbench_notify_tps:>11.0f}",
        )
        lines.append("  ".join(cells))
    return "\n".join(lines)


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per level")
    parser.add_argument("--levels", default="4,16,64", help="workstation counts")
    parser.add_argument("--pgbench-seconds", type=int, default=10)
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    server = start_server()  # max_connections=200: 64 PCs + pgbench's 64 clients fit
    rows = []
    try:
        _prepare_hot_row(server)
        for level in levels:
            url = create_migrated_database(server, f"bench_simulate_{level}")
            load = os.getloadavg()[0]
            cpu_before, wall_before = _children_cpu_s(), time.monotonic()
            result = run_simulation(SimulationConfig(url, level, args.duration, seed=level))
            # Spawned PCs are reaped children: their CPU (start-up included) over the wall time
            # tells whether the numbers below are the database's or this box's CPU's.
            cores = (_children_cpu_s() - cpu_before) / (time.monotonic() - wall_before)
            tps = run_pgbench(server, level, args.pgbench_seconds, notify=False)
            notify_tps = run_pgbench(server, level, args.pgbench_seconds, notify=True)
            rows.append(Row(level, summary(result), tps, notify_tps, cores, load))
            for check in result.failed:
                print(f"level {level}: FAILED {check.name}: {check.detail}", file=sys.stderr)
            print(
                _format(rows[-1:], args.duration, args.pgbench_seconds).splitlines()[-1], flush=True
            )
    finally:
        remove_server(server)
    print()
    print(_format(rows, args.duration, args.pgbench_seconds))
    return 0 if all(row.data["passed"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
