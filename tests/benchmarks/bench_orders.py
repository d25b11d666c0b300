"""Benchmark: `orders pick` (services/orders_pick.py) over 100,000 batches.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_orders [--batches 100000] [--events 200000]
        [--repeat 15]

Reuses bench_main_window's cached SQLite database (batches over every status, expiries from
40 days ago to 13 days ahead) and prints the median and worst of a pick for a small order
(one batch covers it) and for a large one (split across hundreds of batches): one indexed
query of the consumable batches, the order's reservations, then FEFO in Python. Target:
well under 1 s, so the window's "Consume for order…" dialog proposes at once.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable


def _timed(work: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    work()  # warm-up: imports, the connection pool, SQLite's page cache
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from dairy_desktop.db.database import open_database
    from dairy_desktop.services.orders_pick import OrderPick, candidates_for_order, pick_for_order
    from tests.benchmarks.bench_main_window import cached_database

    path = cached_database(args.batches, args.events)
    database = open_database(f"sqlite:///{path}")
    order = "ORDER-20251204-0001"
    print(f"{args.batches:,} batches, {args.repeat} runs each; median / worst")
    count = len(candidates_for_order(database, order))
    print(f"{count:,} consumable batches")
    for liters in ("100", "1000000"):
        median, worst, pick = _timed(
            lambda amount=liters: pick_for_order(database, order, amount), args.repeat
        )
        assert isinstance(pick, OrderPick)
        print(
            f"pick {liters:>7} L  {median * 1000:7.1f} ms / {worst * 1000:7.1f} ms  "
            f"({len(pick.lines):,} lines, short by {pick.short_by} L)"
        )
    database.dispose()


if __name__ == "__main__":
    main()
