"""Benchmark: `plan` (services/plan.py) over 100,000 batches, and the chart painted.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_plan [--batches 100000] [--events 200000]
        [--repeat 15]

Reuses bench_main_window's cached SQLite database (batches over every status, expiries from
40 days ago to 13 days ahead, Europe/Berlin) and prints the median and worst of: the plan
for 7 and for 60 days (one indexed query, then the per-day sums), and painting its chart
on a 900 × 400 image. Target: the plan under 1 s; the window and `plan` feel instant.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

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
    args = parser.parse_args()

    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    from dairy_desktop.db.database import open_database
    from dairy_desktop.domain.plan import Plan
    from dairy_desktop.printing.plan_chart import paint_plan_chart
    from dairy_desktop.services.plan import load_plan
    from tests.benchmarks.bench_main_window import cached_database

    path = cached_database(args.batches, args.events)
    database = open_database(f"sqlite:///{path}")
    _app = QGuiApplication.instance() or QGuiApplication([])
    print(f"{args.batches:,} batches, {args.repeat} runs each; median / worst")
    for days in (7, 60):
        median, worst, plan = _timed(lambda d=days: load_plan(database, days=d), args.repeat)
        assert isinstance(plan, Plan)
        counted = sum(day.batches for day in plan.days)
        print(
            f"plan --days {days:<2}  {median * 1000:7.1f} ms / {worst * 1000:7.1f} ms  ({counted:,} batches counted)"
        )

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


if __name__ == "__main__":
    main()
