"""Benchmark: `orders pick` (services/orders_pick.py) over 100,000 batches.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_orders [--batches 100000] [--events 200000]
        [--repeat 15] [--postgres]

SQLite: reuses bench_main_window's cached database (batches over every status, expiries
from 40 days ago to 13 days ahead). --postgres: the test suite's throwaway server (started
here, removed at the end), bulk-loaded with as many batches expiring from 40 days ago to 13
days ahead. Prints the median and worst of a pick for a small order (one batch covers it)
and for a large one (split across hundreds of batches). Target: well under 1 s, so the
window's "Consume for order…" dialog proposes at once.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from dairy_desktop.db.database import Database


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
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    from dairy_desktop.db.database import open_database
    from tests.benchmarks.bench_main_window import cached_database

    if not args.postgres:
        path = cached_database(args.batches, args.events)
        _measure(open_database(f"sqlite:///{path}"), args.batches, args.repeat)
        return
    from tests.support.postgres_server import remove_server, start_server

    server = start_server()
    try:
        database = open_database(server.url())
        _fill_postgres(database, args.batches)
        _measure(database, args.batches, args.repeat)
    finally:
        remove_server(server)


def _fill_postgres(database: Database, batches: int) -> None:
    from dairy_desktop.db.types import UTCDateTime
    from tests.benchmarks.bench_audit_verify import _BATCH, _insert_values

    bind = UTCDateTime().process_bind_param
    dialect = database.engine.dialect
    now = datetime.now(UTC)
    rows = []
    for n in range(1, batches + 1):
        # Expiries spread evenly from 40 days ago to 13 days ahead, shelf lives of 5 days.
        expires = now - timedelta(days=40) + timedelta(days=53) * n / batches
        received = expires - timedelta(days=5)
        rows.append(
            {
                "id": n,
                "code": f"BEN-{n:08d}-0001",
                "received_at": bind(received, dialect),
                "shelf_life_days": 5,
                "expires_at": bind(expires, dialect),
                "initial_ml": 1_000_000,
                "remaining_ml": 1_000_000 - (n % 7) * 100_000,
                "version": 1,
                "updated_at": bind(received, dialect),
            }
        )
    with database.engine.begin() as connection:
        # Bulk load: the commit-time "every change is audited" check per row is skipped.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        _insert_values(connection, _BATCH, rows)
        connection.execute(text("ANALYZE batches"))


def _measure(database: Database, batches: int, repeat: int) -> None:
    from dairy_desktop.services.orders_pick import OrderPick, candidates_for_order, pick_for_order

    order = "ORDER-20251204-0001"
    print(f"{database.kind}: {batches:,} batches, {repeat} runs each; median / worst")
    count = len(candidates_for_order(database, order))
    print(f"{count:,} consumable batches")
    for liters in ("100", "1000000"):
        median, worst, pick = _timed(
            lambda amount=liters: pick_for_order(database, order, amount), repeat
        )
        assert isinstance(pick, OrderPick)
        print(
            f"pick {liters:>7} L  {median * 1000:7.1f} ms / {worst * 1000:7.1f} ms  "
            f"({len(pick.lines):,} lines, short by {pick.short_by} L)"
        )
    database.dispose()


if __name__ == "__main__":
    main()
