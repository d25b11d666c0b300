"""Benchmark: reserve-then-consume for an order with 1 and with 8 processes, on PostgreSQL
and SQLite, side by side in one run.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_reserve [--seconds 5] [--repeats 3] [--levels 1,8]

One operation is what an order does with its milk: `reserve_for_order` (FEFO, one
transaction) of `--liters` for its plant day, then `consume_for_order` of the same litres,
which draws them from that reservation. Each process is a spawned interpreter with its own
engine (a separate PC) working for its own order on the SAME few batches (large enough
never to run out), so the processes contend for the same rows. Each level runs
`--repeats` times; the table gives the median operations per second over the repeats
(and the spread), the p50/p95 latency of one operation, and refusals (should be 0).
A throwaway PostgreSQL server is started and always removed.
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
from tests.benchmarks.pgbench_ceiling import create_migrated_database
from tests.integration.reservation_worker import PairsResult, reserve_then_consume_for
from tests.support.postgres_server import remove_server, start_server
from tests.support.qa_gate import set_qa_gate

BATCHES = 3
BATCH_LITERS = "1000000"  # never runs out: every operation finds its litres


@dataclass(frozen=True)
class Level:
    database: str
    processes: int
    rates: list[float]  # ops/s of each repeat
    p50_ms: float
    p95_ms: float
    refused: int

    @property
    def median(self) -> float:
        return statistics.median(self.rates)


def _stock(url: str, prefix: str) -> None:
    database = open_database(url, upgrade=False)
    try:
        set_qa_gate(database, False)  # a new plant's gate is on: these are usable at once
        now = datetime.now(UTC)
        for n in range(1, BATCHES + 1):
            register_batch(
                database,
                code=f"{prefix}-{n:04d}",
                liters=BATCH_LITERS,
                shelf_life_days=10 + n,
                received_at=now - timedelta(hours=1),
                actor=Actor(operator="bench", workstation="bench"),
            )
    finally:
        database.dispose()


def _level(
    workers: tuple[Pool, SyncManager],
    kind: str,
    url: str,
    processes: int,
    seconds: float,
    repeats: int,
    liters: str,
) -> Level:
    pool, manager = workers
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    rates: list[float] = []
    latencies: list[float] = []
    refused = 0
    for repeat in range(repeats):
        gate = manager.Barrier(processes)
        orders = [f"ORDER-{processes:04d}{repeat:04d}-{n:04d}" for n in range(processes)]
        tasks = [(url, order, day, liters, seconds, gate) for order in orders]
        results: list[PairsResult] = pool.starmap(reserve_then_consume_for, tasks, chunksize=1)
        if len({r.pid for r in results}) != processes:
            raise RuntimeError("workers did not run in separate processes")
        done = [x for r in results for x in r.latencies]
        rates.append(len(done) / seconds)
        latencies += done
        refused += sum(r.refused for r in results)
    cut = statistics.quantiles(sorted(latencies), n=100, method="inclusive")
    return Level(kind, processes, rates, cut[49] * 1000, cut[94] * 1000, refused)


def _print(levels: list[Level], seconds: float, repeats: int, liters: str) -> None:
    print(
        f"\nReserve {liters} L then consume it for the order, {seconds:g} s x {repeats} "
        "per level, every process on the same batches: median ops/s (each run), p50 / p95 ms"
    )
    kinds = sorted({level.database for level in levels})
    header = f"{'procs':>5}" + "".join(f" | {kind:^38}" for kind in kinds) + " | refused"
    print(header)
    print("-" * len(header))
    for processes in sorted({level.processes for level in levels}):
        row = {lv.database: lv for lv in levels if lv.processes == processes}
        cells = []
        for kind in kinds:
            level = row[kind]
            runs = "/".join(f"{rate:.0f}" for rate in level.rates)
            cells.append(
                f"{level.median:>6.0f} ({runs:>14}) {level.p50_ms:>6.1f} / {level.p95_ms:>6.1f}"
            )
        refused = sum(level.refused for level in row.values())
        print(f"{processes:>5}" + "".join(f" | {cell:>38}" for cell in cells) + f" | {refused}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each repeat")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per level")
    parser.add_argument("--levels", default="1,8", help="process counts")
    parser.add_argument("--liters", default="2.5", help="litres per reserve and consume")
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    results: list[Level] = []
    server = start_server()
    try:
        context = multiprocessing.get_context("spawn")
        # One pool for every level: its processes import SQLAlchemy once, outside the timing.
        with (
            context.Manager() as manager,
            context.Pool(max(levels)) as pool,
            tempfile.TemporaryDirectory(prefix="dairy-bench-reserve-") as folder,
        ):
            urls = {
                "postgresql": create_migrated_database(server, "dairy_bench_reserve"),
                "sqlite": f"sqlite:///{Path(folder, 'bench.sqlite3').as_posix()}",
            }
            open_database(urls["sqlite"]).dispose()  # migrate, as the app does on start
            for kind, url in urls.items():
                _stock(url, "BNC-20251204")
                for processes in levels:
                    print(f"{kind}: {processes} process(es) ...", file=sys.stderr, flush=True)
                    results.append(
                        _level(
                            (pool, manager),
                            kind,
                            url,
                            processes,
                            args.seconds,
                            args.repeats,
                            args.liters,
                        )
                    )
    finally:
        remove_server(server)
    _print(results, args.seconds, args.repeats, args.liters)
    return 0


if __name__ == "__main__":
    sys.exit(main())
