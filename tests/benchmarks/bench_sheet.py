"""Benchmark: the daily expiry sheet with 1,000 batches (barcodes included) to PDF.

Not part of the test run. Run: .venv/bin/python -m tests.benchmarks.bench_sheet [rows] [runs]
Target: median under 1 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QPageSize

from dairy_desktop.domain.batch import Batch
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.render import render_sheet_pdf
from tests.support.factories import make_batch

ZONE = ZoneInfo("Europe/Berlin")
SHEET_DATE = date(2025, 12, 4)
GENERATED_AT = datetime(2025, 12, 4, 4, 30, tzinfo=UTC)


def batches(count: int) -> list[Batch]:
    """`count` batches whose expiries spread from 2 days before to 3 days after the sheet
    date, so every one of them is printed (none is fresh)."""
    first_expiry = datetime(2025, 12, 2, 0, 0, tzinfo=UTC)
    spread = timedelta(days=5, hours=20) / count
    result = []
    for index in range(count):
        expires = first_expiry + spread * index
        ml = 1_000_000 + index * 1_125
        received = expires - timedelta(days=3)
        result.append(
            make_batch(
                f"SCH-{received:%Y%m%d}-{index:04d}",
                expires,
                id=index + 1,
                initial_ml=ml,
                remaining_ml=ml,
                fat_centi=300 + index % 150,
                updated_by="bench",
                updated_workstation="BENCH-PC",
            )
        )
    return result


def sheet(count: int) -> DailySheet:
    return build_daily_sheet(
        batches(count),
        sheet_date=SHEET_DATE,
        days=3,
        zone=ZONE,
        generated_at=GENERATED_AT,
        generated_by="bench",
        workstation="BENCH-PC",
        plant_name="Benchmark Dairy",
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    _app = QGuiApplication.instance() or QGuiApplication([])
    a4 = QPageSize(QPageSize.PageSizeId.A4)
    render_times, total_times, cpu_times = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "sheet.pdf"
        pages = render_sheet_pdf(sheet(rows), target, a4)  # warm-up: fonts, Qt plugins
        for _ in range(runs):
            cpu_started = time.process_time()
            started = time.perf_counter()
            data = sheet(rows)
            built = time.perf_counter()
            render_sheet_pdf(data, target, a4)
            done = time.perf_counter()
            render_times.append(done - built)
            total_times.append(done - started)
            # CPU time too: on a busy machine wall time mostly measures the other processes.
            cpu_times.append(time.process_time() - cpu_started)
        size = target.stat().st_size
    assert data.row_count == rows, data.row_count
    total = statistics.median(total_times)
    print(f"{rows} rows, {pages} A4 pages, PDF {size / 1024:.0f} KiB; median of {runs} runs:")
    print(
        f"  render to PDF       {statistics.median(render_times):.3f} s "
        f"(min {min(render_times):.3f}, max {max(render_times):.3f})"
    )
    print(
        f"  build data + render {total:.3f} s "
        f"(min {min(total_times):.3f}, max {max(total_times):.3f})"
    )
    print(f"  CPU time, data + render {statistics.median(cpu_times):.3f} s")
    print("target < 1 s:", "met" if total < 1 else "NOT met")


if __name__ == "__main__":
    main()
