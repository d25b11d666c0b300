"""Benchmark: the longest GUI-thread stall over a scripted morning at the office PC.

Not part of the test run. Run from the repository root:

    .venv/bin/python -m tests.benchmarks.bench_gui_stall [--batches 10000] [--seconds 60]

A stalled GUI thread is what splits a wedge scanner's keys (the wedge now reads the keys'
own timestamps, but the operator still waits). One offscreen process opens the real
`MainWindow` (threaded `TaskRunner`) on a cached SQLite database (built by
bench_main_window's builder) and, while a 1 ms PreciseTimer heartbeat records the gap
between its ticks, plays a morning:

- other PCs consume 10 times a second (a separate process writing to the same file; the
  window sees the changes through its own polls);
- this PC consumes every 3 s (on the runner, as the consume dialog does) and applies the
  changed batch;
- the daily sheet is exported as PDF once (options and path answered, no dialogs);
- the audit window is opened once, left open for 5 s, then closed;
- the scan box is used now and then for a search.

A watchdog thread samples the GUI thread's Python stack whenever no tick has come for
20 ms: the report names what the worst stalls were doing. Targets: longest < 50 ms,
p99 < 16 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("DAIRY_DESKTOP_DATABASE_URL", None)

TARGET_LONGEST_MS = 50.0
TARGET_P99_MS = 16.0
WATCH_MS = 20.0  # a tick this late gets the GUI thread's stack sampled
OTHER_PCS_PER_S = 10
OWN_CONSUME_EVERY_S = 3.0


def other_pcs(url: str, seconds: float, codes: list[str]) -> None:
    """Child process: the other PCs' consumes, OTHER_PCS_PER_S a second."""
    from dairy_desktop.services.actor import make_actor
    from dairy_desktop.services.session import AppSession

    session = AppSession.open(url, make_actor("other-pc"))
    refused: Counter[str] = Counter()
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        began = time.monotonic()
        try:
            session.consume(codes[n % len(codes)], "0.001", order_id=None, expected_version=None)
        except Exception as error:  # a refused consume is part of a morning
            refused[type(error).__name__] += 1
        n += 1
        time.sleep(max(0.0, 1 / OTHER_PCS_PER_S - (time.monotonic() - began)))
    session.close()
    print(f"other PCs: {n} consumes sent, refused: {dict(refused) or 'none'}", flush=True)


class Watchdog(threading.Thread):
    """Samples the GUI thread's stack while a heartbeat tick is overdue."""

    def __init__(self, gui_thread: int) -> None:
        super().__init__(daemon=True)
        self.gui_thread = gui_thread
        self.last_tick = time.perf_counter()
        self.samples: list[tuple[float, list[str]]] = []
        self.running = True

    def run(self) -> None:
        sampled_for = 0.0
        while self.running:
            time.sleep(0.005)
            last = self.last_tick
            late_ms = (time.perf_counter() - last) * 1000
            if late_ms > WATCH_MS and sampled_for != last:
                sampled_for = last
                frame = sys._current_frames().get(self.gui_thread)
                if frame is not None:
                    stack = traceback.extract_stack(frame)
                    self.samples.append((last, [_where(f) for f in stack[-12:]]))


def _where(frame: traceback.FrameSummary) -> str:
    path = frame.filename
    for root in ("dairy_desktop", "site-packages"):
        if root in path:
            path = path[path.index(root) :]
            break
    return f"{path}:{frame.lineno} {frame.name}"


def _consumable(window: Any, code: str) -> bool:
    from dairy_desktop.domain.allowances import why_not_consumable

    row = window.model.find(code)
    return row is not None and why_not_consumable(row.status) is None


def child(url: str, seconds: float, out_dir: Path) -> dict[str, Any]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from dairy_desktop.services.actor import make_actor
    from dairy_desktop.ui.main import sheet_print_flow
    from dairy_desktop.ui.main.window import MainWindow
    from dairy_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([sys.argv[0]])
    runner = TaskRunner()
    window = MainWindow(url, make_actor("bench"), runner)
    window.resize(1400, 900)
    loaded: list[bool] = []
    window.loaded.connect(lambda *_a: loaded.append(True))
    window.show()
    window.start()
    deadline = time.monotonic() + 120
    while not loaded and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if window.model.rowCount() == 0:
        raise RuntimeError("the listing never arrived")
    for _ in range(50):  # the rows' statuses come with the listing's own pass
        app.processEvents()
    codes = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    codes = [c for c in codes if isinstance(c, str) and _consumable(window, c)][::7][:400]
    if not codes:
        raise RuntimeError("no consumable batch in the listing")

    # The heartbeat, and where each scripted action on the GUI thread began and ended.
    ticks: list[float] = []
    watchdog = Watchdog(threading.get_ident())
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)

    def tick() -> None:
        now = time.perf_counter()
        ticks.append(now)
        watchdog.last_tick = now

    heartbeat.timeout.connect(tick)
    actions: list[tuple[float, float, str]] = []
    background: list[tuple[float, float, str]] = []

    def timed(label: str, action: Any) -> Any:
        def run() -> None:
            began = time.perf_counter()
            try:
                action()
            finally:
                actions.append((began, time.perf_counter(), label))

        return run

    # this PC's consumes, on the runner as the dialog sends them
    session = window.session
    assert session is not None
    own = {"n": 0}

    def consume() -> None:
        code = codes[(own["n"] * 13) % len(codes)]
        own["n"] += 1
        began = time.perf_counter()
        window.runner.run(
            lambda: session.consume(code, "0.001", order_id=None, expected_version=None),
            lambda batch: _applied(batch, began),
            lambda error: print(f"own consume: {error}", file=sys.stderr),
        )

    def _applied(batch: Any, began: float) -> None:
        done = time.perf_counter()
        window.apply_changes([batch])
        actions.append((done, time.perf_counter(), "apply own consume"))
        background.append((began, done, "own consume (worker)"))

    # the PDF export: the options and the path answered, as the operator would
    pdf = out_dir / "sheet.pdf"
    flow = window.printing.sheets
    flow.ask_options = lambda _action: (  # type: ignore[method-assign]
        sheet_print_flow.utc_now().astimezone(window.settings.zone).date(),
        window.settings.near_expiry_days,
    )
    sheet_print_flow.ask_pdf_path = lambda *_a, **_k: pdf  # type: ignore[attr-defined]
    export_span: list[float] = []
    flow.exported.connect(lambda *_a: export_span.append(time.perf_counter()))

    def export() -> None:
        export_span.append(time.perf_counter())
        flow.export_pdf()

    audit: dict[str, Any] = {}

    def open_audit() -> None:
        window.batch_actions.open_audit()
        audit["window"] = next(
            (w for w in QApplication.topLevelWidgets() if type(w).__name__ == "AuditWindow"),
            None,
        )

    def close_audit() -> None:
        if audit.get("window") is not None:
            audit["window"].close()

    def search(n: int) -> None:
        window.filters.search.setText(codes[n % len(codes)][:6] if n % 2 else "")

    writer = subprocess.Popen(
        [
            *(sys.executable, "-m", "tests.benchmarks.bench_gui_stall", "--other-pcs", url),
            *("--seconds", str(seconds), "--codes", ",".join(codes[:100])),
        ],
        cwd=Path(__file__).resolve().parents[2],
    )
    schedule: list[tuple[float, str, Any]] = []
    t = 1.0
    while t < seconds:
        schedule.append((t, "own consume (start)", consume))
        t += OWN_CONSUME_EVERY_S
    schedule.append((seconds * 0.3, "export sheet (start)", export))
    schedule.append((seconds * 0.5, "open audit window", open_audit))
    schedule.append((seconds * 0.5 + 5, "close audit window", close_audit))
    for k, at in enumerate(range(2, int(seconds), 7)):
        schedule.append((at + 0.5, "search keystroke", lambda k=k: search(k)))
    for at, label, action in schedule:
        QTimer.singleShot(int(at * 1000), timed(label, action))

    # Every worker job (polls, the audit check, exports, consumes): Python on a worker takes
    # the GIL from the GUI thread for up to the switch interval at a time, or longer.
    busy_since: list[float] = []

    def busy_changed(busy: bool) -> None:
        if busy:
            busy_since.append(time.perf_counter())
        elif busy_since:
            background.append((busy_since.pop(), time.perf_counter(), "runner busy"))

    window.runner.busy_changed.connect(busy_changed)
    started = time.perf_counter()
    watchdog.start()
    heartbeat.start()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    heartbeat.stop()
    watchdog.running = False
    writer.wait(timeout=30)
    if len(export_span) == 2:
        background.append((export_span[0], export_span[1], "sheet export (worker)"))
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    worst = sorted(
        ((gap, ticks[i]) for i, gap in enumerate(gaps)), key=lambda g: g[0], reverse=True
    )[:12]

    def explain(gap_ms: float, at: float) -> dict[str, Any]:
        end = at + gap_ms / 1000
        overlapping = [lbl for a, b, lbl in actions if a < end and b > at]
        busy = [lbl for a, b, lbl in background if a < end and b > at]
        stacks = [s for when, s in watchdog.samples if abs(when - at) < 1e-9]
        return {
            "gap_ms": round(gap_ms, 1),
            "at_s": round(at - started, 2),
            "gui_actions": overlapping,
            "workers_busy": busy,
            "stack": stacks[0][-6:] if stacks else ["(no sample: the watchdog got no GIL)"],
        }

    window.close()
    runner.wait_for_done(10_000)
    cause_counts = Counter((s[-1] if s else "?") for _when, s in watchdog.samples).most_common(8)
    return {
        "ticks": len(ticks),
        "seconds": time.perf_counter() - started,
        "rows": window.model.rowCount(),
        "longest_ms": max(gaps),
        "p99_ms": statistics.quantiles(gaps, n=100)[98],
        "p50_ms": statistics.median(gaps),
        "over_16_ms": sum(g > 16 for g in gaps),
        "over_50_ms": sum(g > 50 for g in gaps),
        "worst": [explain(g, at) for g, at in worst],
        "sampled_innermost_frames": cause_counts,
        "actions": Counter(lbl for _a, _b, lbl in actions),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--batches", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--other-pcs", help=argparse.SUPPRESS)
    parser.add_argument("--codes", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.other_pcs:
        other_pcs(args.other_pcs, args.seconds, args.codes.split(","))
        return 0

    from tests.benchmarks.bench_main_window import cached_database

    source = cached_database(args.batches, args.events)
    work = Path(tempfile.mkdtemp(prefix="dairy-bench-stall-"))
    database = work / "morning.sqlite3"
    database.write_bytes(source.read_bytes())  # the morning writes: never the cached copy
    os.environ["DAIRY_DESKTOP_HOME"] = str(work / "home")
    print(f"load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    result = child(f"sqlite:///{database}", args.seconds, work)
    print(f"\nGUI-thread heartbeat over {result['seconds']:.0f} s, {result['rows']:,} rows shown")
    print(f"  ticks: {result['ticks']:,} (1 ms timer)")
    for name, target in (("longest", TARGET_LONGEST_MS), ("p99", TARGET_P99_MS)):
        value = result[f"{name}_ms"]
        verdict = "met" if value < target else "MISSED"
        print(f"  {name:8} {value:7.1f} ms  target < {target:.0f} ms: {verdict}")
    print(f"  p50      {result['p50_ms']:7.1f} ms")
    print(f"  gaps > 16 ms: {result['over_16_ms']}, > 50 ms: {result['over_50_ms']}")
    print("\nworst stalls (GUI actions overlapping, workers busy, GUI thread's stack):")
    for stall in result["worst"]:
        print(
            f"  {stall['gap_ms']:6.1f} ms at {stall['at_s']:6.2f} s  "
            f"gui={stall['gui_actions']} workers={stall['workers_busy']}"
        )
        for line in stall["stack"]:
            print(f"        {line}")
    print("\ninnermost Python frame of the GUI thread in sampled stalls (> 20 ms):")
    for frame, count in result["sampled_innermost_frames"]:
        print(f"  {count:4}  {frame}")
    print(f"\nscripted actions: {dict(result['actions'])}")
    print(f"load average after: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
