"""Benchmark: the main window and the audit view over 100,000 batches and 1,000,000 events.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_main_window [--batches 100000]
        [--events 1000000] [--repeat 5] [--profile]

Builds (once, cached by size and day in the temp folder) a SQLite database with batches
spread over every status and an audit trail of register / consume / delete events, then
runs every measurement in a fresh offscreen process, `--repeat` times, and prints medians:

- first paint: constructing `MainWindow` (real threaded TaskRunner) until the first paint
  of the batch table with rows has completed; connect and load happen behind the window;
- a filter keystroke: `setText` on the search box with one more character, until the model
  reset and its slots are done (and, separately, until the table has repainted);
- sorting by expiry and by remaining litres through the header's sort indicator;
- peak memory (VmHWM, else `ru_maxrss`) of the process after load + filter + sort;
- the audit view's first page, the next page, and filtered first pages, over 1M events.

Targets: first paint < 1 s, filter and sort < 100 ms, memory < 400 MB; the audit view pages.
`--profile` additionally runs the window once with a synchronous runner under cProfile (so
the database work is on the profiled thread) and prints where the time goes.
"""

from __future__ import annotations

import argparse
import faulthandler
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

# Before anything imports Qt (only the child processes do): no screen, and never the real
# user's settings or database. run_child gives each child its own empty home.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("DAIRY_DESKTOP_DATABASE_URL", None)

PLANT_ZONE = "Europe/Berlin"  # a zone with DST, so status bands cost what they cost in a plant
NEAR_EXPIRY_DAYS = 3
SUPPLIERS = ["SCH", "MEY", "HOF", "BRU", "ALM", "KRA", "LIN", "WEI", "BER", "ZUG"]
OPERATORS = ["anna", "ben", "carla", "dieter", "eva"]
RARE_OPERATOR = "auditor"  # a handful of old events: the operator filter must scan far
WORKSTATIONS = ["OFFICE-1", "OFFICE-2", "DOCK-PC"]
CHUNK = 50_000
POLL_GUARD = 1_000  # more changed batches than this in one poll: see guarded_polled
UPSERT_SAMPLE = 100
CACHE_DIR = Path(tempfile.gettempdir()) / "dairy-desktop-bench"
CHILD_TIMEOUT_S = 300
WAIT_TIMEOUT_S = 120.0

# name, target seconds or MB (None: informative only), unit
TARGETS: dict[str, tuple[float | None, str]] = {
    "first paint": (1.0, "s"),
    "filter keystroke": (0.1, "s"),
    "sort by expiry": (0.1, "s"),
    "sort by remaining": (0.1, "s"),
    "peak memory (window)": (400.0, "MB"),
    "audit first page": (1.0, "s"),
}


# ----------------------------------------------------------------------------------------
# The database


@dataclass(frozen=True)
class Plan:
    """One batch's story: when it arrived, how it ends up, and the events that got it there."""

    code: str
    received: datetime
    shelf_days: int
    initial_ml: int
    remaining_ml: int
    fat_centi: int | None
    deleted_at: datetime | None
    consumes: list[tuple[datetime, int]]  # (at, millilitres)


def _expiry_for(rng: random.Random, band: str, now: datetime, zone: ZoneInfo) -> datetime:
    """An expiry inside the status band, on the plant's local calendar (like the app)."""
    from dairy_desktop.domain.clock import start_of_local_day

    tomorrow = start_of_local_day(now, zone, plus_days=1)
    horizon = start_of_local_day(now, zone, plus_days=1 + NEAR_EXPIRY_DAYS)
    if band == "expired":
        return now - timedelta(minutes=rng.randrange(5, 60 * 24 * 40))
    if band == "today":
        return now + (tomorrow - now) * rng.uniform(0.05, 0.95)
    if band == "near":
        return tomorrow + (horizon - tomorrow) * rng.random()
    return horizon + timedelta(minutes=rng.randrange(5, 60 * 24 * 10))


def _plan_batches(count: int, events: int, now: datetime, rng: random.Random) -> list[Plan]:
    zone = ZoneInfo(PLANT_ZONE)
    # Every status present: expired, expires today, near expiry, fresh, empty, deleted.
    bands = ["expired"] * 35 + ["today"] * 5 + ["near"] * 15 + ["fresh"] * 25
    bands += ["empty"] * 12 + ["deleted"] * 8
    kinds = [rng.choice(bands) for _ in range(count)]
    deleted = sum(kind == "deleted" for kind in kinds)
    consumes = [0] * count
    # Empty batches were emptied by at least one consume; the rest of the events are spread.
    for index, kind in enumerate(kinds):
        if kind == "empty":
            consumes[index] = 1
    for _ in range(max(0, events - count - deleted - sum(consumes))):
        consumes[rng.randrange(count)] += 1
    plans = []
    for index, kind in enumerate(kinds):
        band = kind if kind in ("expired", "today", "near", "fresh") else rng.choice(bands[:80])
        expires = _expiry_for(rng, band, now, zone)
        # Delivered in the past: a shelf life long enough that the batch was already here.
        least = max(1, int((expires - now).total_seconds() // 86_400) + 1)
        shelf = min(30, max(least, rng.randint(2, 14)))
        received = expires - timedelta(days=shelf)
        initial = rng.randrange(500_000, 10_000_000)
        used = initial if kind == "empty" else 0
        if consumes[index] and kind != "empty":
            used = rng.randrange(consumes[index], initial)
        end = min(now, expires) - timedelta(minutes=1)
        steps = sorted(rng.random() for _ in range(consumes[index]))
        # k positive amounts summing to `used`: k - 1 distinct cut points inside it.
        cuts = sorted(rng.sample(range(1, used), consumes[index] - 1)) if used else []
        bounds = [0, *cuts, used] if consumes[index] else [0]
        amounts = [b - a for a, b in itertools.pairwise(bounds)]
        times = [received + (end - received) * step for step in steps]
        last = times[-1] if times else received
        plans.append(
            Plan(
                code=f"{SUPPLIERS[(index // 10_000) % len(SUPPLIERS)]}"
                f"{'' if index < 100_000 else index // 100_000}-"
                f"{received:%Y%m%d}-{index % 10_000:04d}",
                received=received,
                shelf_days=shelf,
                initial_ml=initial,
                remaining_ml=initial - used,
                fat_centi=None if rng.random() < 0.05 else rng.randrange(300, 450),
                deleted_at=last + (now - last) * rng.random() if kind == "deleted" else None,
                consumes=list(zip(times, amounts, strict=True)),
            )
        )
    return plans


def _event_rows(plans: Sequence[Plan], rng: random.Random) -> list[tuple[Any, ...]]:
    """Every event as a tuple, oldest first, so ids grow with time as they do in a plant."""
    rows: list[tuple[Any, ...]] = []
    for batch_id, plan in enumerate(plans, 1):
        remaining, version = plan.initial_ml, 1
        operator = rng.choice(OPERATORS)
        rows.append(
            (
                plan.received,
                batch_id,
                "register",
                plan.initial_ml,
                remaining,
                version,
                None,
                operator,
                rng.choice(WORKSTATIONS),
                None,
            )
        )
        for sequence, (at, amount) in enumerate(plan.consumes):
            remaining -= amount
            version += 1
            order = f"PRODN-{at:%Y%m%d}-{(batch_id * 7 + sequence) % 10_000:04d}"
            rows.append(
                (
                    at,
                    batch_id,
                    "consume",
                    amount,
                    remaining,
                    version,
                    order,
                    rng.choice(OPERATORS),
                    rng.choice(WORKSTATIONS),
                    None,
                )
            )
        if plan.deleted_at is not None:
            rows.append(
                (
                    plan.deleted_at,
                    batch_id,
                    "delete",
                    None,
                    remaining,
                    version + 1,
                    None,
                    rng.choice(OPERATORS),
                    rng.choice(WORKSTATIONS),
                    "Quality hold: sample failed",
                )
            )
    rows.sort(key=lambda row: row[0])
    # A rare operator among the oldest events: finding them means reading the whole trail.
    for position in range(0, min(len(rows), 200), 20):
        rows[position] = (*rows[position][:7], RARE_OPERATOR, *rows[position][8:])
    return rows


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def build_database(path: Path, batches: int, events: int) -> None:
    """Migrate a fresh SQLite file and bulk-insert with Core executemany, in chunks."""
    from sqlalchemy import insert

    from dairy_desktop.db.database import open_database
    from dairy_desktop.db.models import AuditEventRow, BatchRow, PlantSettingRow

    rng = random.Random(20_251_204)
    now = datetime.now(UTC).replace(microsecond=0)
    started = time.perf_counter()
    plans = _plan_batches(batches, events, now, rng)
    event_rows = _event_rows(plans, rng)
    last_event: dict[int, tuple[Any, ...]] = {row[1]: row for row in event_rows}
    database = open_database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        settings = {
            "plant_name": "Benchmark Dairy",
            "time_zone": PLANT_ZONE,
            "near_expiry_days": str(NEAR_EXPIRY_DAYS),
        }
        connection.execute(
            insert(PlantSettingRow),
            [
                {"key": k, "value": v, "updated_at": now, "updated_by": "bench"}
                for k, v in settings.items()
            ],
        )
        batch_dicts = []
        for batch_id, plan in enumerate(plans, 1):
            last = last_event[batch_id]
            batch_dicts.append(
                {
                    "id": batch_id,
                    "code": plan.code,
                    "received_at": plan.received,
                    "shelf_life_days": plan.shelf_days,
                    "expires_at": plan.received + timedelta(days=plan.shelf_days),
                    "initial_ml": plan.initial_ml,
                    "remaining_ml": plan.remaining_ml,
                    "fat_centi": plan.fat_centi,
                    "version": last[5],
                    "deleted_at": plan.deleted_at,
                    "updated_at": last[0],
                    "updated_by": last[7],
                    "updated_workstation": last[8],
                }
            )
        for chunk in _chunks(batch_dicts):
            connection.execute(insert(BatchRow), list(chunk))
        keys = (
            "at",
            "batch_id",
            "action",
            "liters_ml",
            "remaining_after_ml",
            "version_after",
            "order_id",
            "operator",
            "workstation",
            "reason",
        )
        for offset, chunk in enumerate(_chunks(event_rows)):
            connection.execute(
                insert(AuditEventRow),
                [
                    {
                        **dict(zip(keys, row, strict=True)),
                        "correlation_id": f"{offset * CHUNK + n:012x}",
                    }
                    for n, row in enumerate(chunk)
                ],
            )
    database.dispose()  # last connection closed: the WAL is checkpointed into the file
    print(
        f"built {path.name}: {batches:,} batches, {len(event_rows):,} events "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def cached_database(batches: int, events: int) -> Path:
    """Statuses are relative to now, so the cache is per day as well as per size."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    day = datetime.now(UTC).strftime("%Y%m%d")
    path = CACHE_DIR / f"bench-{batches}-{events}-{day}.sqlite3"
    if path.exists():
        print(f"using cached {path}", flush=True)
        return path
    for old in CACHE_DIR.glob(f"bench-{batches}-{events}-*.sqlite3*"):
        old.unlink()
    building = path.with_name(path.name + ".building")
    for leftover in CACHE_DIR.glob(building.name + "*"):
        leftover.unlink()
    # In a child process: the parent stays small, so it lends no memory peak to later runs.
    command = [sys.executable, "-m", "tests.benchmarks.bench_main_window", "--child", "build"]
    command += ["--database", str(building), "--batches", str(batches), "--events", str(events)]
    subprocess.run(command, cwd=Path(__file__).resolve().parents[2], check=True)
    building.rename(path)  # only a complete build is ever reused
    return path


# ----------------------------------------------------------------------------------------
# Child processes (one fresh interpreter per run: first paint and memory need it)


def _peak_memory_mb() -> float:
    """Peak resident memory of this process.

    Linux keeps `ru_maxrss` across fork + exec, so a child would report its parent's peak if
    that were higher; VmHWM belongs to this process image alone. ru_maxrss elsewhere.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


_ERRORS: list[str] = []


def _record_errors() -> None:
    """An exception in a Qt slot is only printed; stop at once instead of waiting it out."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: Any) -> None:
        _ERRORS.append(f"{kind.__name__}: {error}")
        previous(kind, error, trace)

    sys.excepthook = hook


class _Clock:
    """Event loop helpers that never spin: a busy processEvents loop on the GUI thread would
    fight the loader thread for the GIL and slow down the very thing being measured."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        self._loop = QEventLoop()
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._check)
        self._predicate: Callable[[], bool] = lambda: True
        self._met = False
        self._deadline = 0.0

    def _check(self) -> None:
        if self._predicate():
            # Remembered: events handled after quit() in the same pass (a poll starting,
            # say) may make the condition false again before exec() returns.
            self._met = True
            self._loop.quit()
        elif _ERRORS or time.perf_counter() > self._deadline:
            self._loop.quit()

    def wait(
        self, predicate: Callable[[], bool], what: str, timeout: float = WAIT_TIMEOUT_S
    ) -> None:
        self._deadline = time.perf_counter() + timeout
        self._predicate, self._met = predicate, predicate()
        if not self._met:
            self._timer.start()
            self._loop.exec()
            self._timer.stop()
        if _ERRORS:
            raise RuntimeError(f"the app raised while waiting for {what}: {_ERRORS[0]}")
        if not self._met:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f} s")

    def idle(self, seconds: float) -> None:
        until = time.perf_counter() + seconds
        self.wait(lambda: time.perf_counter() >= until, "idle", seconds + 5)


def _paint_probe(viewport: Any, rows: Callable[[], int]) -> Any:
    """Records when each paint of `viewport` has completed, and how many rows it showed.

    The event filter sees the paint event before the view handles it; a zero timer posted
    from there fires once the paint (and the window's flush) is done.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class PaintProbe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.paints: list[tuple[float, int]] = []

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                shown = rows()
                QTimer.singleShot(0, lambda: self.paints.append((time.perf_counter(), shown)))
            return False

        def painted_after(self, moment: float, *, with_rows: bool = False) -> float | None:
            for at, shown in self.paints:
                if at > moment and (shown > 0 or not with_rows):
                    return at
            return None

    probe = PaintProbe()
    viewport.installEventFilter(probe)
    return probe


def _typed_search(code: str) -> str:
    """What an operator types to find a batch: its date and number (the distinctive part).

    The first keystrokes match almost every code (all contain "2", "20", "202"): the
    broadest, slowest filters, as on the plant floor.
    """
    return code.split("-", 1)[1]


def child_window(url: str, profile: bool) -> dict[str, Any]:
    started = time.perf_counter()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from dairy_desktop.domain.clock import utc_now
    from dairy_desktop.services.actor import make_actor
    from dairy_desktop.ui.main.batch_table_model import COL_EXPIRES, COL_REMAINING
    from dairy_desktop.ui.main.window import ORDER_SEARCH_DELAY_MS, MainWindow
    from dairy_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([sys.argv[0]])
    imported = time.perf_counter()
    if profile:
        return _profile_window(app, url)
    result: dict[str, Any] = {"imports": imported - started}
    clock = _Clock()
    runner = TaskRunner()
    marks: dict[str, float] = {}

    constructing, cpu_before = time.perf_counter(), time.process_time()
    window = MainWindow(url, make_actor("bench"), runner)
    window.connected.connect(lambda: marks.setdefault("connected", time.perf_counter()))
    window.loaded.connect(lambda: marks.setdefault("loaded", time.perf_counter()))
    model, table = window.model, window.table
    probe = _paint_probe(table.viewport(), model.rowCount)
    # Filling the model runs on the GUI thread: while it runs, the window cannot respond.
    fills: list[tuple[float, float]] = []
    fill_model = window._listing_loaded  # instance attribute, looked up when reload() runs

    def timed_fill(listing: Any) -> None:
        began, cpu = time.perf_counter(), time.thread_time()
        fill_model(listing)
        fills.append((time.perf_counter() - began, time.thread_time() - cpu))

    window._listing_loaded = timed_fill  # type: ignore[method-assign]

    # A poll that starts before the first listing is applied asks for changes since token
    # -1, i.e. every batch, and upserts them one by one: O(batches x rows) on the GUI thread
    # (hours at 100k). Such a result is recorded and not applied, so the rest can be measured.
    polled = window._polled
    poll_times: list[float] = []
    polls_of_everything: list[int] = []

    def guarded_polled(found: tuple[Any, Any]) -> None:
        changes = found[1]
        count = len(changes[1]) if changes is not None else 0
        if count > POLL_GUARD:
            polls_of_everything.append(count)
            window._polling = False  # what _polled does first; the listing is newer anyway
            return
        began = time.perf_counter()
        polled(found)
        poll_times.append(time.perf_counter() - began)

    window._polled = guarded_polled  # type: ignore[method-assign]
    window.show()
    window.start()
    marks["shown"] = time.perf_counter()
    clock.wait(lambda: probe.painted_after(constructing, with_rows=True) is not None, "paint")
    first_paint = probe.painted_after(constructing, with_rows=True)
    assert first_paint is not None
    # The first screen (earliest-expiring rows) paints before the whole listing is in.
    clock.wait(lambda: "loaded" in marks, "full listing")
    result |= {
        "first paint": first_paint - constructing,
        # CPU of both threads: what the load costs with the machine to itself.
        "first paint cpu": time.process_time() - cpu_before,
        "window shown": marks["shown"] - constructing,
        "connected": marks["connected"] - constructing,
        "listing loaded": marks["loaded"] - constructing,
        "filling the model (GUI thread)": fills[-1][0],
        "filling the model (GUI thread) cpu": fills[-1][1],
        "rows": model.rowCount(),
        "all batches": model.total_count(),
    }

    # The order search queries the trail on a worker; time it and the re-filter it causes.
    session = window.session
    assert session is not None
    order_query: list[float] = []
    order_refilter: list[float] = []
    order_refilter_cpu: list[float] = []
    query_orders = session.codes_for_order
    refilter = window._orders_found  # instance attribute, looked up when the search runs

    def timed_query(text: str) -> set[str]:
        began = time.perf_counter()
        try:
            return query_orders(text)
        finally:
            order_query.append(time.perf_counter() - began)

    def timed_refilter(found: tuple[str, set[str]]) -> None:
        began, cpu = time.perf_counter(), time.thread_time()
        refilter(found)
        order_refilter.append(time.perf_counter() - began)
        order_refilter_cpu.append(time.thread_time() - cpu)

    session.codes_for_order = timed_query  # type: ignore[method-assign]
    window._orders_found = timed_refilter  # type: ignore[method-assign]

    def settle() -> None:
        # Let the debounced order search fire and finish, so keystrokes do not overlap.
        clock.idle(ORDER_SEARCH_DELAY_MS / 1000 + 0.05)
        clock.wait(lambda: not runner.busy, "background work")

    def measured(action: Callable[[], None]) -> tuple[float, float, float]:
        """(until the call returned, its GUI-thread CPU, until the table had repainted).

        The CPU time does not grow when other processes compete for the cores; the wall
        times do, so read both on a busy machine.
        """
        began, cpu = time.perf_counter(), time.thread_time()
        action()
        returned, cpu = time.perf_counter(), time.thread_time() - cpu
        clock.wait(lambda: probe.painted_after(returned) is not None, "repaint")
        painted = probe.painted_after(returned)
        assert painted is not None
        return returned - began, cpu, painted - began

    # An operator usually has a row selected; the filter keeps it selected when it can.
    target = model.batch_at(model.rowCount() // 2)
    assert target is not None
    window.select_code(target.code)
    settle()

    search = window.filters.search
    typed = _typed_search(target.code)
    keystrokes: list[tuple[str, float, float, float, int]] = []
    for length in range(1, len(typed) + 1):
        text = typed[:length]
        took, cpu, painted = measured(lambda text=text: search.setText(text))
        keystrokes.append((text, took, cpu, painted, model.rowCount()))
        settle()
    clear, clear_cpu, clear_painted = measured(search.clear)
    settle()
    result["keystrokes"] = keystrokes
    result["filter keystroke"] = [k[1] for k in keystrokes]
    result["filter keystroke cpu"] = [k[2] for k in keystrokes]
    result["filter keystroke, to repaint"] = [k[3] for k in keystrokes]
    result["filter 1st char (broadest)"] = keystrokes[0][1]
    result["filter 1st char (broadest) cpu"] = keystrokes[0][2]
    result["clear search (all rows back)"] = clear
    result["clear search (all rows back) cpu"] = clear_cpu
    result["clear search, to repaint"] = clear_painted
    result["order search query (worker)"] = order_query
    result["order search re-filter (GUI)"] = order_refilter
    result["order search re-filter (GUI) cpu"] = order_refilter_cpu

    header = table.horizontalHeader()
    descending, ascending = Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder
    sorts: dict[str, list[tuple[float, float, float]]] = {"expiry": [], "remaining": []}
    for column, name in ((COL_EXPIRES, "expiry"), (COL_REMAINING, "remaining")):
        for order in (descending, ascending, descending, ascending):
            # The header's sort indicator is what a click changes; the view then sorts.
            sorts[name].append(measured(lambda c=column, o=order: header.setSortIndicator(c, o)))
            assert model.sort_state() == (column, order), model.sort_state()
            clock.idle(0.05)
    for name, runs in sorts.items():
        result[f"sort by {name}"] = [r[0] for r in runs]
        result[f"sort by {name} cpu"] = [r[1] for r in runs]
        result[f"sort by {name}, to repaint"] = [r[2] for r in runs]

    # What a poll that found changed batches costs on the GUI thread, per batch.
    changed = [row.batch for row in model.all_rows()[-UPSERT_SAMPLE:]]
    began, cpu = time.perf_counter(), time.thread_time()
    window.apply_changes(changed)
    result[f"apply {UPSERT_SAMPLE} changed batches (poll)"] = time.perf_counter() - began
    result[f"apply {UPSERT_SAMPLE} changed batches (poll) cpu"] = time.thread_time() - cpu
    result["poll results applied (GUI)"] = poll_times
    # More than one means a poll asked for a second full reload during the measurements.
    result["full listings applied"] = len(fills)
    result["polls that returned every batch"] = polls_of_everything

    # The clock timer re-classifies every batch once a minute on the GUI thread.
    began, cpu = time.perf_counter(), time.thread_time()
    model.tick(utc_now())
    result["clock tick (every 60 s)"] = time.perf_counter() - began
    result["clock tick (every 60 s) cpu"] = time.thread_time() - cpu
    result["peak memory (window)"] = _peak_memory_mb()
    window.close()
    runner.wait_for_done(10_000)
    return result


def _profile_window(app: Any, url: str) -> dict[str, Any]:
    """cProfile the load, the broadest keystroke, clearing it, a sort and a clock tick.

    Synchronous runner: the database work then runs on this (profiled) thread.
    """
    import cProfile
    import io
    import pstats

    from PySide6.QtCore import Qt

    from dairy_desktop.domain.clock import utc_now
    from dairy_desktop.services.actor import make_actor
    from dairy_desktop.ui.main.batch_table_model import COL_REMAINING
    from dairy_desktop.ui.main.window import MainWindow
    from dairy_desktop.ui.tasks import TaskRunner

    reports: dict[str, Any] = {}

    def profiled(name: str, action: Callable[[], None]) -> None:
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.runcall(action)
        took = time.perf_counter() - began
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(14)
        stats.sort_stats("cumulative").print_stats(22)
        reports[name] = f"{name}: {took:.3f} s under the profiler\n{out.getvalue()}"

    holder: dict[str, Any] = {}

    def load() -> None:
        window = MainWindow(url, make_actor("bench"), TaskRunner(synchronous=True))
        window.show()
        window.start()
        window.table.viewport().grab()
        holder["window"] = window

    profiled("load (construct, connect, list, fill, paint)", load)
    window = holder["window"]
    target = window.model.batch_at(window.model.rowCount() // 2)
    window.select_code(target.code)
    search = window.filters.search
    profiled("1st filter keystroke", lambda: search.setText(_typed_search(target.code)[0]))
    profiled("clear search", search.clear)
    header = window.table.horizontalHeader()
    profiled(
        "sort by remaining",
        lambda: header.setSortIndicator(COL_REMAINING, Qt.SortOrder.DescendingOrder),
    )
    profiled("clock tick", lambda: window.model.tick(utc_now()))
    window.close()
    app.processEvents()
    return {"profile": reports}


def child_audit(url: str) -> dict[str, Any]:
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from dairy_desktop.domain.audit import AuditAction
    from dairy_desktop.services.actor import make_actor
    from dairy_desktop.services.audit_trail import AuditFilter
    from dairy_desktop.services.session import AppSession
    from dairy_desktop.ui.audit.window import AuditWindow
    from dairy_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert app is not None
    result: dict[str, Any] = {"imports": time.perf_counter() - started}
    clock = _Clock()
    # The main window already holds a session when the audit view opens: not timed.
    session = AppSession.open(url, make_actor("bench"))
    began = time.perf_counter()
    session.audit_page(AuditFilter(), limit=500)
    result["audit_page service, 500 newest"] = time.perf_counter() - began
    runner = TaskRunner()

    constructing = time.perf_counter()
    window = AuditWindow(session, runner)
    model = window.model
    pages: list[float] = []
    model.page_loaded.connect(lambda _rows: pages.append(time.perf_counter()))
    probe = _paint_probe(window.table.viewport(), model.rowCount)
    window.show()
    clock.wait(lambda: probe.painted_after(constructing, with_rows=True) is not None, "paint")
    painted = probe.painted_after(constructing, with_rows=True)
    assert painted is not None
    assert pages
    result["audit first page"] = painted - constructing
    result["audit first page, data in"] = pages[0] - constructing
    result["audit rows after first page"] = model.rowCount()
    clock.wait(lambda: not runner.busy, "audit idle")

    def page_time(action: Callable[[], None]) -> float:
        seen = len(pages)
        began = time.perf_counter()
        action()
        clock.wait(lambda: len(pages) > seen and not runner.busy, "audit page")
        return pages[seen] - began

    result["audit next page (scroll)"] = page_time(model.fetchMore)
    oldest = model.event_at(model.rowCount() - 1)

    def filtered(name: str, apply: Callable[[], None], reset: Callable[[], None]) -> None:
        result[name] = page_time(apply)
        result[f"{name}, rows"] = model.rowCount()
        page_time(reset)

    def by_text(edit: Any, text: str) -> Callable[[], None]:
        def apply() -> None:
            edit.setText(text)
            window.apply_filter()  # what Enter does, instead of waiting for the debounce

        return apply

    filtered(
        "audit filter: batch code",
        by_text(window.batch_edit, oldest.batch_code),
        by_text(window.batch_edit, ""),
    )
    filtered(
        f"audit filter: rare operator ({RARE_OPERATOR})",
        by_text(window.operator_edit, RARE_OPERATOR),
        by_text(window.operator_edit, ""),
    )
    delete_index = window.action_combo.findData(AuditAction.DELETE)
    filtered(
        "audit filter: action delete",
        lambda: window.action_combo.setCurrentIndex(delete_index),
        lambda: window.action_combo.setCurrentIndex(0),
    )
    filtered(
        "audit filter: last 7 days",
        lambda: window.from_check.setChecked(True),
        lambda: window.from_check.setChecked(False),
    )
    result["peak memory (audit)"] = _peak_memory_mb()
    window.close()
    runner.wait_for_done(10_000)
    session.close()
    return result


# ----------------------------------------------------------------------------------------
# The driver


def run_child(kind: str, database: Path, *, profile: bool = False) -> dict[str, Any]:
    """One measurement in a fresh interpreter with its own empty app home."""
    home = tempfile.mkdtemp(prefix="dairy-bench-home-")
    env = {**os.environ, "DAIRY_DESKTOP_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "tests.benchmarks.bench_main_window", "--child", kind]
    command += ["--database", str(database)] + (["--profile"] if profile else [])
    try:
        done = subprocess.run(
            command,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as timed_out:
        sys.stderr.write(str(timed_out.stderr or ""))
        raise
    finally:
        shutil.rmtree(home, ignore_errors=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"{kind} run failed with exit code {done.returncode}")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    return result


def _samples(runs: list[dict[str, Any]], name: str) -> list[float]:
    values: list[float] = []
    for run in runs:
        value = run.get(name)
        if isinstance(value, list):
            values.extend(value)
        elif isinstance(value, int | float):
            values.append(float(value))
    return values


def _format(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "rows":
        return f"{value:,.0f}"
    return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"


def print_table(title: str, runs: list[dict[str, Any]], names: list[str]) -> None:
    print(f"\n{title} — medians over {len(runs)} fresh processes")
    print(f"  {'measurement':42} {'median':>10} {'min':>10} {'max':>10} {'CPU':>9}  target")
    for name in names:
        values = _samples(runs, name)
        if not values:
            continue
        target, unit = TARGETS.get(name, (None, "MB" if "memory" in name else "s"))
        if name in ROW_COUNTS:
            unit = "rows"
        median = statistics.median(values)
        cpu_values = _samples(runs, f"{name} cpu")
        cpu = _format(statistics.median(cpu_values), unit) if cpu_values else ""
        verdict = ""
        if target is not None:
            shown = _format(target, unit)
            verdict = f"< {shown}: {'met' if median < target else 'MISSED'}"
            if cpu_values and (median < target) != (statistics.median(cpu_values) < target):
                verdict += (
                    f" (CPU: {'met' if statistics.median(cpu_values) < target else 'MISSED'})"
                )
        print(
            f"  {name:42} {_format(median, unit):>10} {_format(min(values), unit):>10} "
            f"{_format(max(values), unit):>10} {cpu:>9}  {verdict}"
        )


ROW_COUNTS = {
    "all batches",
    "full listings applied",
    "audit rows after first page",
    "audit filter: action delete, rows",
}
WINDOW_ROWS = [
    "imports",
    "window shown",
    "connected",
    "listing loaded",
    "filling the model (GUI thread)",
    "first paint",
    "all batches",
    "filter keystroke",
    "filter keystroke, to repaint",
    "filter 1st char (broadest)",
    "clear search (all rows back)",
    "clear search, to repaint",
    "order search query (worker)",
    "order search re-filter (GUI)",
    "sort by expiry",
    "sort by expiry, to repaint",
    "sort by remaining",
    "sort by remaining, to repaint",
    "poll results applied (GUI)",
    "full listings applied",
    f"apply {UPSERT_SAMPLE} changed batches (poll)",
    "clock tick (every 60 s)",
    "peak memory (window)",
]
AUDIT_ROWS = [
    "audit_page service, 500 newest",
    "audit first page, data in",
    "audit first page",
    "audit rows after first page",
    "audit next page (scroll)",
    "audit filter: batch code",
    f"audit filter: rare operator ({RARE_OPERATOR})",
    "audit filter: action delete",
    "audit filter: action delete, rows",
    "audit filter: last 7 days",
    "peak memory (audit)",
]


def _load_average() -> str:
    """Wall times stretch when other work shares the CPUs; the report says how busy they were."""
    try:
        return ", ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--batches", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile report")
    parser.add_argument("--child", choices=["window", "audit", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if "DAIRY_DESKTOP_HOME" not in os.environ:  # started by hand, not by run_child
            os.environ["DAIRY_DESKTOP_HOME"] = tempfile.mkdtemp(prefix="dairy-bench-home-")
        _record_errors()
        # A hang shows where every thread was, and still ends before the parent's timeout.
        faulthandler.dump_traceback_later(CHILD_TIMEOUT_S - 30, exit=True)
        if args.child == "build":
            build_database(Path(args.database), args.batches, args.events)
            return 0
        url = f"sqlite:///{args.database}"
        measured = child_window(url, args.profile) if args.child == "window" else child_audit(url)
        print("RESULT " + json.dumps(measured), flush=True)
        return 0

    database = cached_database(args.batches, args.events)
    size_mb = sum(p.stat().st_size for p in database.parent.glob(database.name + "*")) / 1e6
    print(f"database {database} ({size_mb:,.0f} MB)", flush=True)
    print(f"load average before: {_load_average()}", flush=True)
    windows, audits = [], []
    for run in range(1, args.repeat + 1):
        windows.append(run_child("window", database))
        audits.append(run_child("audit", database))
        print(
            f"run {run}/{args.repeat}: first paint {windows[-1]['first paint'] * 1000:.0f} ms, "
            f"audit first page {audits[-1]['audit first page'] * 1000:.0f} ms",
            flush=True,
        )
    if windows:  # --repeat 0 --profile: the profile alone
        first = windows[0]["keystrokes"]
        print("\nkeystrokes of run 1 (typed: reset / its CPU / to repaint, rows shown):")
        for text, took, cpu, painted, shown in first:
            print(
                f"  {text!r:18} {took * 1000:5.0f} / {cpu * 1000:4.0f} / {painted * 1000:5.0f} ms"
                f"  {shown:>7,} rows"
            )
        print_table(f"Main window, {args.batches:,} batches", windows, WINDOW_ROWS)
        everything = [n for run in windows for n in run["polls that returned every batch"]]
        if everything:
            print(
                f"  !! {len(everything)} poll(s) in {len(windows)} runs started before the first "
                f"listing and returned every batch ({max(everything):,}); the window would "
                f"upsert them one by one. Not applied here (see apply {UPSERT_SAMPLE} row)."
            )
        print_table(f"Audit view, {args.events:,} events", audits, AUDIT_ROWS)
    print(f"\nload average after: {_load_average()} on {os.cpu_count()} CPUs", flush=True)
    if args.profile:
        report = run_child("window", database, profile=True)["profile"]
        for text in report.values():
            print("\n" + "=" * 100 + "\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
