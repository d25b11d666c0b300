"""Benchmark: many PCs consuming from ONE batch on PostgreSQL, next to pgbench's ceiling.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_contended_consume [--seconds 10] [--levels 1,4,16]

Starts a throwaway PostgreSQL server (tests/support/postgres_server.py), migrates a database,
then for each level runs that many spawned processes (own engine each, like separate PCs)
calling the real `consume` without an expected version on one large batch for a fixed time,
and reports successful consumes per second with p50/p95 latency. In the same run, against
the same server, pgbench runs the equivalent transaction (guarded UPDATE ... RETURNING plus
the audit INSERT) at the same client counts: the hot-row ceiling. Target: at 16 processes,
at least half the ceiling. The server is always stopped at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.managers import SyncManager
from multiprocessing.pool import Pool

from dairy_desktop.db.database import open_database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.register import register_batch
from tests.benchmarks.pgbench_ceiling import create_migrated_database, pgbench_tps
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
    pgbench_notify_tps: float

    @property
    def ratio(self) -> float:
        return self.ops_per_s / self.pgbench_tps if self.pgbench_tps else float("nan")


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
) -> tuple[float, float, float, int]:
    """ops/s, p50 ms, p95 ms, refusals for `processes` workers hammering one batch."""
    _register(url, code)
    gate = manager.Barrier(processes)
    tasks = [(url, code, CONSUME_LITERS, seconds, gate)] * processes
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
) -> float:
    """pgbench's tps for the equivalent transaction on its own batch (same server, same run)."""
    return pgbench_tps(server, DATABASE, code, clients, seconds, notify=notify)


def create_database(server: PostgresServer) -> str:
    return create_migrated_database(server, DATABASE)


def print_table(results: list[LevelResult], seconds: float) -> None:
    print(f"\nContended consume on one batch, PostgreSQL, {seconds:g} s per level")
    header = (
        f"{'procs':>5} {'ours ops/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'refused':>7} "
        f"{'pgbench tps':>11} {'ours/pgbench':>12} {'pgbench+notify':>14}"
    )
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row.processes:>5} {row.ops_per_s:>10.0f} {row.p50_ms:>7.2f} {row.p95_ms:>7.2f} "
            f"{row.refused:>7} {row.pgbench_tps:>11.0f} {row.ratio:>12.2f} "
            f"{row.pgbench_notify_tps:>14.0f}"
        )
    last = results[-1]
    verdict = "met" if last.ratio >= 0.5 else "NOT met"
    print(
        f"\nTarget (at {last.processes} processes, at least half the pgbench ceiling): {verdict} "
        f"({last.ratio:.2f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each run")
    parser.add_argument("--levels", default="1,4,16", help="process/client counts")
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]

    server = start_server()
    results: list[LevelResult] = []
    try:
        url = create_database(server)
        context = multiprocessing.get_context("spawn")
        # One pool for all levels: its processes import SQLAlchemy once, outside the timing.
        with context.Manager() as manager, context.Pool(max(levels)) as pool:
            for processes in levels:
                print(f"{processes} process(es): ours ...", file=sys.stderr, flush=True)
                ops, p50, p95, refused = run_ours(
                    pool, manager, url, f"OUR-{processes:08d}-0001", processes, args.seconds
                )
                print(f"{processes} client(s): pgbench ...", file=sys.stderr, flush=True)
                ceiling_code = f"PGB-{processes:08d}-0001"
                _register(url, ceiling_code)
                tps = run_pgbench(server, ceiling_code, processes, args.seconds, notify=False)
                notify_code = f"PGN-{processes:08d}-0001"
                _register(url, notify_code)
                notify_tps = run_pgbench(server, notify_code, processes, args.seconds, notify=True)
                results.append(LevelResult(processes, ops, p50, p95, refused, tps, notify_tps))
        print_table(results, args.seconds)
    finally:
        remove_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
