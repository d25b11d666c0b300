"""Benchmark: start of the app to its first painted main window, against the floor.

Not part of the test run. Build the app first, then run from the repository root:

    .venv/bin/pyinstaller build.spec --noconfirm
    .venv/bin/python -m tests.benchmarks.bench_startup [--runs 7] [--app dist/dairy-desktop]
    .venv/bin/python -m tests.benchmarks.bench_startup --unpackaged-only   # no build needed

The floor is a bare PySide6 window (QMainWindow + QTableWidget) of the same build as the app
it is held against: packaged the same way (one folder, windowed, same PyInstaller; built in
a temporary folder with its own tiny spec, ~40 s) against the packaged app
(`dairy-desktop-gui`), and run by the same interpreter (`python floor.py`) against the
unpackaged app (`python -m dairy_desktop`). Then `--runs` rounds after one discarded warm-up
round, each a new offscreen process, interleaved. The app opens an SQLite file with an empty,
current schema (the start-up schema check finds nothing to upgrade); `--sample-data` loads
the sample batches into it first.

Times run from just before the process is started to:
- window: the first paint of the main window (the app paints before its database answers);
- data: the first paint after the batches were loaded (the floor has no database: = window).
Output: medians and, per build, app / floor. Targets: window <= 1.5x the floor's window,
data <= 2.5x the floor's window.
"Cold" means a new process each time with the OS file cache warm (caches are not dropped)
and, unpackaged, our modules' bytecode already compiled (as after `pip install`): the runs
write it to a cache in the temporary folder, whatever PYTHONDONTWRITEBYTECODE says.

The app reports its paints through `dairy_desktop.ui.startup_probe` (DAIRY_DESKTOP_EXIT_AFTER_PAINT),
which `ui/app.py` must call: `watch_first_paint(window)` before `app.exec()`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE_ENV = "DAIRY_DESKTOP_EXIT_AFTER_PAINT"
TARGET_WINDOW_RATIO = 1.5  # app's window painted / floor's window painted, same build
TARGET_DATA_RATIO = 2.5  # app's table painted (empty, current schema) / floor's window
RUN_TIMEOUT_S = 90

FLOOR_APP = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(30, 9)
for row in range(30):
    for column in range(9):
        table.setItem(row, column, QTableWidgetItem(f"{row}.{column}"))
window.setCentralWidget(table)
window.resize(1280, 760)


def painted():
    now = time.time()
    with open(os.environ["DAIRY_DESKTOP_EXIT_AFTER_PAINT"], "a", encoding="utf-8") as file:
        file.write(f"startup-probe: window_painted={now:.4f} data_painted={now:.4f}\\n")
    app.quit()


class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, painted)
        return False


table.viewport().installEventFilter(Watch(window))
window.show()
sys.exit(app.exec())
"""

FLOOR_SPEC = """
import shutil, sys
strip = sys.platform.startswith("linux") and shutil.which("strip") is not None
a = Analysis(["floor.py"], excludes=["tkinter", "unittest", "pydoc", "test"])
pyz = PYZ(a.pure)
exe = EXE(pyz, a.scripts, [], exclude_binaries=True, name="floor", console=False,
          strip=strip, upx=False)
coll = COLLECT(exe, a.binaries, a.datas, strip=strip, upx=False, name="floor")
"""


def build_floor(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    (work / "floor.py").write_text(FLOOR_APP, encoding="utf-8")
    (work / "floor.spec").write_text(FLOOR_SPEC, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "floor.spec", "--noconfirm", "--log-level=WARN"],
        cwd=work,
        check=True,
        timeout=900,
    )
    print(f"floor built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return work / "dist" / "floor" / ("floor.exe" if os.name == "nt" else "floor")


def seed_home(home: Path, *, sample_data: bool) -> None:
    """An SQLite file on the current schema: empty, or with the sample batches."""
    os.environ["DAIRY_DESKTOP_HOME"] = str(home)
    from dairy_desktop.config.paths import default_sqlite_path
    from dairy_desktop.db.database import open_database
    from dairy_desktop.services.actor import Actor
    from dairy_desktop.services.sample_data import load_sample_data

    path = default_sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(f"sqlite:///{path.as_posix()}")
    count = (
        load_sample_data(database, Actor(operator="bench", workstation="BENCH"))
        if sample_data
        else 0
    )
    database.dispose()
    print(f"{path}: current schema, {count} batches", file=sys.stderr)


def children_cpu() -> float:
    """CPU seconds used by finished child processes so far (0 where unknown: Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_one(command: list[str], work: Path, home: Path) -> tuple[float, float, float]:
    """Seconds from spawn to (window painted, data painted), and the process's CPU seconds
    (start to exit): far less disturbed than wall time when other work loads the machine."""
    report = work / "probe.txt"
    report.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DAIRY_DESKTOP_HOME": str(home)}
    env[PROBE_ENV] = str(report)
    env.pop("DAIRY_DESKTOP_DATABASE_URL", None)
    # An installed app has its bytecode compiled (pip does it; the packaged app ships it).
    # Without this, a shell with PYTHONDONTWRITEBYTECODE=1 would have the unpackaged app
    # compile every module of ours from source on every run (~0.1 s) and the floor nothing.
    # The warm-up round writes the cache, outside the checkout.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cpu_before = children_cpu()
    started = time.time()
    # cwd outside the repository: `python -m dairy_desktop` must import the installed package.
    subprocess.run(
        command,
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    if not report.exists():
        raise SystemExit(
            f"{command[0]} reported no paint: is watch_first_paint(window) called in ui/app.py?"
        )
    fields = dict(part.split("=") for part in report.read_text().split()[1:])
    cpu = children_cpu() - cpu_before
    return (
        float(fields["window_painted"]) - started,
        float(fields["data_painted"]) - started,
        cpu,
    )


# (build, contender) -> command; filled in by main()
Contenders = dict[tuple[str, str], list[str]]
Sample = tuple[float, float, float]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "dairy-desktop")
    parser.add_argument("--unpackaged-only", action="store_true", help="skip the packaged build")
    parser.add_argument("--sample-data", action="store_true", help="open the sample batches")
    options = parser.parse_args()
    gui = options.app / ("dairy-desktop-gui.exe" if os.name == "nt" else "dairy-desktop-gui")
    if not options.unpackaged_only and not gui.exists():
        raise SystemExit(f"{gui} not found: build it first (pyinstaller build.spec --noconfirm)")

    work = Path(tempfile.mkdtemp(prefix="dairy-bench-startup-"))
    try:
        floor_script = work / "floor.py"
        floor_script.write_text(FLOOR_APP, encoding="utf-8")
        contenders: Contenders = {}
        if not options.unpackaged_only:
            contenders["packaged", "floor"] = [str(build_floor(work / "floor"))]
            contenders["packaged", "app"] = [str(gui)]
        contenders["unpackaged", "floor"] = [sys.executable, str(floor_script)]
        contenders["unpackaged", "app"] = [sys.executable, "-m", "dairy_desktop"]
        home = work / "home"
        seed_home(home, sample_data=options.sample_data)
        times: dict[tuple[str, str], list[Sample]] = {key: [] for key in contenders}
        for round_number in range(options.runs + 1):
            for key, command in contenders.items():
                result = time_one(command, work, home)
                if round_number:  # round 0 warms the OS file cache; not counted
                    times[key].append(result)
        report(times, options.runs, "sample batches" if options.sample_data else "empty")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(times: dict[tuple[str, str], list[Sample]], runs: int, data: str) -> None:
    medians = {
        key: tuple(statistics.median(sample[i] for sample in samples) for i in range(3))
        for key, samples in times.items()
    }
    print(f"\nstart to first paint, offscreen, {data} current-schema SQLite file")
    print(f"median of {runs} runs (seconds)")
    print(f"{'':22} {'window':>8} {'data':>8} {'min..max window':>16} {'CPU':>7}")
    for (build, who), (window, loaded, cpu) in medians.items():
        spread = [sample[0] for sample in times[build, who]]
        low_high = f"{min(spread):.3f}..{max(spread):.3f}"
        print(f"{who + ', ' + build:22} {window:8.3f} {loaded:8.3f} {low_high:>16} {cpu:7.3f}")
    print()
    for build in dict.fromkeys(build for build, _ in medians):
        floor, app = medians[build, "floor"], medians[build, "app"]
        window_ratio, data_ratio = app[0] / floor[0], app[1] / floor[0]
        cpu_ratio = f", CPU {app[2] / floor[2]:.2f}x" if floor[2] else ""
        print(
            f"{build} app / {build} floor: window {window_ratio:.2f}x "
            f"(target <= {TARGET_WINDOW_RATIO}: {_verdict(window_ratio, TARGET_WINDOW_RATIO)}), "
            f"data {data_ratio:.2f}x "
            f"(target <= {TARGET_DATA_RATIO}: {_verdict(data_ratio, TARGET_DATA_RATIO)}){cpu_ratio}"
        )
    if ("packaged", "app") in medians:
        packaged, source = medians["packaged", "app"], medians["unpackaged", "app"]
        print(f"packaged app / unpackaged app: window {packaged[0] / source[0]:.2f}x")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs (wall times need an idle box)"
    )


def _verdict(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "NOT met"


if __name__ == "__main__":
    sys.exit(main())
