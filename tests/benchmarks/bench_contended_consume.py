"""Benchmark: many PCs consuming from ONE batch on PostgreSQL, next to pgbench's ceiling.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_contended_consume [--seconds 10] [--levels 1,4,16]

Starts a throwaway PostgreSQL server (tests/support/postgres_server.py), migrates a database,
then for each level runs that many spawned processes (own engine each, like separate PCs)
calling the real `consume` without an expected version on one large batch for a fixed time,
and reports successful consumes per second with p50/p95 latency. In the same run, against
the same server, pgbench runs the equivalent transaction (guarded UPDATE ... RETURNING plus
the audit INSERT) at the same client counts: the hot-row ceiling, with its median latency.
Targets: at 16 processes, at least half the ceiling; at 1 process, a p50 at most twice
pgbench's. The server is always stopped at the end.

Then the same consumes on an SQLite file (`--sqlite-levels`), once with the app's
synchronous=FULL and once with NORMAL, to show what durability on a power cut costs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.managers import SyncManager
from multiprocessing.pool import Pool
from pathlib import Path

from dairy_desktop.db.database import open_database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.register import register_batch
from tests.benchmarks.pgbench_ceiling import PgbenchResult, create_migrated_database, pgbench_run
from tests.integration.concurrent_worker import TimedResult, consume_for
from tests.support.postgres_server import PostgresServer, remove_server, start_server

DATABASE = "dairy_bench"
# 1 mL per consume from 1,000,000 L: a billion consumes before it could run out.
BATCH_LITERS = "1000000"
CONSUME_LITERS = "0.001"


@dataclass(frozen=True)
class LevelResult:
    processes: int
    ops_per_s: float
    p50_ms: float
    p95_ms: float
    refused: int
    pgbench_tps: float
    pgbench_p50_ms: float
    pgbench_notify_tps: float

    @property
    def ratio(self) -> float:
        return self.ops_per_s / self.pgbench_tps if self.pgbench_tps else float("nan")

    @property
    def latency_ratio(self) -> float:
        return self.p50_ms / self.pgbench_p50_ms if self.pgbench_p50_ms else float("nan")


@dataclass(frozen=True)
class SqliteResult:
    processes: int
    synchronous: str
    ops_per_s: float
    p50_ms: float
    p95_ms: float
    refused: int


def _register(url: str, code: str) -> None:
    database = open_database(url, upgrade=False)
    try:
        register_batch(
            database,
            code=code,
            liters=BATCH_LITERS,
            shelf_life_days=30,
            received_at=datetime.now(UTC) - timedelta(minutes=1),
            actor=Actor(operator="bench", workstation="bench"),
        )
    finally:
        database.dispose()


def run_ours(
    pool: Pool,
    manager: SyncManager,
    url: str,
    code: str,
    processes: int,
    seconds: float,
    sqlite_synchronous: str | None = None,
) -> tuple[float, float, float, int]:
    """ops/s, p50 ms, p95 ms, refusals for `processes` workers hammering one batch."""
    _register(url, code)
    gate = manager.Barrier(processes)
    tasks = [(url, code, CONSUME_LITERS, seconds, gate, sqlite_synchronous)] * processes
    results: list[TimedResult] = pool.starmap(consume_for, tasks, chunksize=1)
    if len({result.pid for result in results}) != processes:
        raise RuntimeError("workers did not run in separate processes")
    latencies = sorted(latency for result in results for latency in result.latencies)
    refused = sum(result.failures for result in results)
    if not latencies:
        raise RuntimeError("no consume succeeded")
    cut = statistics.quantiles(latencies, n=100, method="inclusive")
    return len(latencies) / seconds, cut[49] * 1000, cut[94] * 1000, refused


def run_pgbench(
    server: PostgresServer, code: str, clients: int, seconds: float, *, notify: bool
) -> PgbenchResult:
    """pgbench's tps and p50 for the equivalent transaction on its own batch (same server,
    same run)."""
    return pgbench_run(server, DATABASE, code, clients, seconds, notify=notify)


def create_database(server: PostgresServer) -> str:
    return create_migrated_database(server, DATABASE)


def print_table(results: list[LevelResult], seconds: float) -> None:
    print(f"\nContended consume on one batch, PostgreSQL, {seconds:g} s per level")
    header = (
        f"{'procs':>5} {'ours ops/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'refused':>7} "
        f"{'pgbench tps':>11} {'pgbench p50':>11} {'ours/pgbench':>12} {'p50 ratio':>9} "
        f"{'pgbench+notify':>14}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row.processes:>5} {row.ops_per_s:>10.0f} {row.p50_ms:>7.2f} {row.p95_ms:>7.2f} "
            f"{row.refused:>7} {row.pgbench_tps:>11.0f} {row.pgbench_p50_ms:>11.2f} "
            f"{row.ratio:>12.2f} {row.latency_ratio:>9.2f} {row.pgbench_notify_tps:>14.0f}"
        )
    last = results[-1]
    verdict = "met" if last.ratio >= 0.5 else "NOT met"
    print(
        f"\nTarget (at {last.processes} processes, at least half the pgbench ceiling): {verdict} "
        f"({last.ratio:.2f})"
    )
    single = [row for row in results if row.processes == 1]
    if single:
        met = "met" if single[0].latency_ratio <= 2 else "NOT met"
        print(
            f"Target (at 1 process, p50 at most 2x pgbench's): {met} "
            f"({single[0].latency_ratio:.2f})"
        )


def print_sqlite_table(results: list[SqliteResult], seconds: float) -> None:
    print(f"\nContended consume on one batch, SQLite (WAL), {seconds:g} s per level")
    header = (
        f"{'procs':>5} {'synchronous':>11} {'ops/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'refused':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row.processes:>5} {row.synchronous:>11} {row.ops_per_s:>7.0f} "
            f"{row.p50_ms:>7.2f} {row.p95_ms:>7.2f} {row.refused:>7}"
        )


def run_sqlite(
    pool: Pool, manager: SyncManager, levels: list[int], seconds: float
) -> list[SqliteResult]:
    results: list[SqliteResult] = []
    with tempfile.TemporaryDirectory(prefix="dairy-bench-sqlite-") as folder:
        url = f"sqlite:///{(Path(folder) / 'bench.sqlite3').as_posix()}"
        open_database(url).dispose()
        for processes in levels:
            for synchronous in ("FULL", "NORMAL"):
                print(f"{processes} process(es): SQLite {synchronous} ...", file=sys.stderr)
                code = f"SQL-{processes:08d}-{len(results) + 1:04d}"
                ops, p50, p95, refused = run_ours(
                    pool, manager, url, code, processes, seconds, synchronous
                )
                results.append(SqliteResult(processes, synchronous, ops, p50, p95, refused))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each run")
    parser.add_argument("--levels", default="1,4,16", help="process/client counts")
    parser.add_argument(
        "--sqlite-levels", default="1,4", help="SQLite process counts ('' to skip SQLite)"
    )
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    sqlite_levels = [int(level) for level in args.sqlite_levels.split(",") if level]

    server = start_server()
    results: list[LevelResult] = []
    try:
        url = create_database(server)
        context = multiprocessing.get_context("spawn")
        # One pool for all levels: its processes import SQLAlchemy once, outside the timing.
        with context.Manager() as manager, context.Pool(max(levels + sqlite_levels)) as pool:
            for processes in levels:
                print(f"{processes} process(es): ours ...", file=sys.stderr, flush=True)
                ops, p50, p95, refused = run_ours(
                    pool, manager, url, f"OUR-{processes:08d}-0001", processes, args.seconds
                )
                print(f"{processes} client(s): pgbench ...", file=sys.stderr, flush=True)
                ceiling_code = f"PGB-{processes:08d}-0001"
                _register(url, ceiling_code)
                ceiling = run_pgbench(server, ceiling_code, processes, args.seconds, notify=False)
                notify_code = f"PGN-{processes:08d}-0001"
                _register(url, notify_code)
                notified = run_pgbench(server, notify_code, processes, args.seconds, notify=True)
                results.append(
                    LevelResult(
                        processes,
                        ops,
                        p50,
                        p95,
                        refused,
                        ceiling.tps,
                        ceiling.p50_ms,
                        notified.tps,
                    )
                )
            sqlite_results = run_sqlite(pool, manager, sqlite_levels, args.seconds)
        print_table(results, args.seconds)
        if sqlite_results:
            print_sqlite_table(sqlite_results, args.seconds)
    finally:
        remove_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
