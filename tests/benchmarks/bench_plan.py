"""Benchmark: `plan` (services/plan.py) over 100,000 batches, and the chart painted.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_plan [--batches 100000] [--events 200000]
        [--repeat 15] [--postgres]

Reuses bench_main_window's cached SQLite database (batches over every status, expiries from
40 days ago to 13 days ahead, Europe/Berlin) and prints the median and worst of: the plan
for 7 and for 60 days (one grouped query over the expiry index), and painting its chart
on a 900 × 400 image. `--postgres` also starts a throwaway PostgreSQL server (found as the
test suite finds it), copies the same batches and settings into it (triggers off for the
bulk copy: a benchmark's shortcut, never the app's) and times the plan there too.
Target: the plan under 1 s; the window and `plan` feel instant.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
    parser.add_argument("--postgres", action="store_true", help="time it on PostgreSQL too")
    args = parser.parse_args()

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    from dairy_desktop.db.database import open_database
    from dairy_desktop.printing.plan_chart import paint_plan_chart
    from dairy_desktop.services.plan import load_plan
    from tests.benchmarks.bench_main_window import cached_database

    path = cached_database(args.batches, args.events)
    database = open_database(f"sqlite:///{path}")
    _app = QGuiApplication.instance() or QGuiApplication([])
    print(f"{args.batches:,} batches, {args.repeat} runs each; median / worst")
    _time_plans("SQLite", database, args.repeat)
    if args.postgres:
        _on_postgres(path, args.repeat)

    plan = load_plan(database, days=30)

    def paint() -> None:
        image = QImage(900, 400, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        paint_plan_chart(painter, QRectF(10, 10, 880, 380), plan)
        painter.end()

    median, worst, _ = _timed(paint, args.repeat)
    print(f"chart, 31 days  {median * 1000:7.1f} ms / {worst * 1000:7.1f} ms")
    database.dispose()


def _time_plans(kind: str, database: Any, repeat: int) -> None:
    from dairy_desktop.domain.plan import Plan
    from dairy_desktop.services.plan import load_plan

    for days in (7, 60):
        median, worst, plan = _timed(lambda d=days: load_plan(database, days=d), repeat)
        assert isinstance(plan, Plan)
        counted = sum(day.batches for day in plan.days)
        print(
            f"{kind:<10} plan --days {days:<2}  {median * 1000:7.1f} ms / "
            f"{worst * 1000:7.1f} ms  ({counted:,} batches counted)"
        )


def _on_postgres(sqlite_path: Path, repeat: int) -> None:
    from sqlalchemy import insert, select, text

    from dairy_desktop.db.database import open_database
    from dairy_desktop.db.models import BatchRow, PlantSettingRow
    from tests.benchmarks.pgbench_ceiling import create_migrated_database
    from tests.support.postgres_server import remove_server, start_server

    source = open_database(f"sqlite:///{sqlite_path}")
    server = start_server()
    try:
        url = create_migrated_database(server, "plan_bench")
        target = open_database(url)
        with source.engine.connect() as reading, target.engine.begin() as writing:
            writing.execute(text("SET session_replication_role = replica"))
            writing.execute(text("DELETE FROM plant_settings"))
            settings = [dict(row._mapping) for row in reading.execute(select(PlantSettingRow))]
            writing.execute(insert(PlantSettingRow), settings)
            rows = [dict(row._mapping) for row in reading.execute(select(BatchRow))]
            for start in range(0, len(rows), 20_000):
                writing.execute(insert(BatchRow), rows[start : start + 20_000])
        with target.engine.connect() as connection:
            connection.execute(text("ANALYZE batches"))
        _time_plans("PostgreSQL", target, repeat)
        target.dispose()
    finally:
        source.dispose()
        remove_server(server)


if __name__ == "__main__":
    main()
