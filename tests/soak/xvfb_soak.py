"""Long soak of the real app on a virtual X screen, driven by real key events.

Not collected by pytest (no test_ prefix); run by hand, for minutes:

    python -m tests.soak.xvfb_soak --minutes 10 --display :91 [--stress] [--seed N]

Starts Xvfb (unless the display is already up), seeds a SQLite database with the sample
batches on a private home, starts `python -m dairy_desktop` and sends random keyboard
actions with xdotool: register and consume through their dialogs, scans typed as a wedge
scanner types them (--delay 4), F5, Settings → OK, the audit trail and scan log, Escape.
A dead app process counts as a crash (its log is searched for a faulthandler trace) and
is started again. With --stress, `stress-ng --cpu 2` keeps both cores busy meanwhile.
Prints the figures at the end; exit code 1 if the app crashed or Qt warned about threads.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

THREAD_WARNINGS = re.compile(
    r"different thread|another thread|QBasicTimer can only be used|"
    r"Cannot create children|Timers cannot be (started|stopped)|QObject::killTimer|"
    r"QObject::startTimer"
)
# Sample batches that can be consumed from (tests/../services/sample_data.py).
USABLE = ["HOF-20261129-9003", "SCH-20261128-9004", "BRU-20261128-9005", "SCH-20261128-9009"]
CRASH_TRACE = re.compile(r"Fatal Python error|Segmentation fault|Aborted")


@dataclass
class Figures:
    actions: dict[str, int] = field(default_factory=dict)
    crashes: int = 0
    started: float = field(default_factory=time.monotonic)

    def count(self, name: str) -> None:
        self.actions[name] = self.actions.get(name, 0) + 1


class Screen:
    def __init__(self, display: str) -> None:
        self.display = display
        self.env = {**os.environ, "DISPLAY": display}

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30
        )
        return done.stdout.strip()

    def up(self) -> bool:
        probe = subprocess.run(
            ["xdotool", "getdisplaygeometry"], env=self.env, capture_output=True, timeout=10
        )
        return probe.returncode == 0


class App:
    def __init__(self, screen: Screen, home: Path) -> None:
        self.screen, self.home = screen, home
        self.process: subprocess.Popen[bytes] | None = None
        self.log = home / "dd" / "logs" / "dairy-desktop.log"

    def env(self) -> dict[str, str]:
        return {
            **self.screen.env,
            "HOME": str(self.home),
            "DAIRY_DESKTOP_HOME": str(self.home / "dd"),
            "QT_QPA_PLATFORM": "xcb",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }

    def seed(self) -> None:
        script = (
            "from dairy_desktop.config.local_settings import choose_database_url\n"
            "from dairy_desktop.db.database import open_database\n"
            "from dairy_desktop.services.actor import Actor\n"
            "from dairy_desktop.services.sample_data import load_sample_data\n"
            "db = open_database(choose_database_url(None))\n"
            "print(load_sample_data(db, Actor('soak', 'SOAK-PC')))\n"
        )
        subprocess.run(
            [sys.executable, "-m", "dairy_desktop", "migrate"], env=self.env(), check=True
        )
        subprocess.run([sys.executable, "-c", script], env=self.env(), check=True)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dairy_desktop"],
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=(self.home / "stderr.txt").open("ab"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.loaded():
            time.sleep(0.2)

    def loaded(self) -> bool:
        """The title names the plant once the batches have loaded behind the first paint."""
        names = [self.screen.xdotool("getwindowname", w) for w in self.windows()]
        return any(name.startswith("Dairy Desktop —") for name in names)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def windows(self) -> list[str]:
        if self.process is None:
            return []
        found = self.screen.xdotool("search", "--onlyvisible", "--pid", str(self.process.pid), "")
        return [w for w in found.split() if w]

    def focus_top(self) -> None:
        """No window manager: focus the newest visible window (a dialog, else the main one)."""
        shown = self.windows()
        if shown:
            self.screen.xdotool("windowfocus", shown[-1])

    def stop(self) -> None:
        if self.process is None:
            return
        if self.alive():
            self.focus_top()
            for _ in range(3):
                self.screen.xdotool("key", "Escape")
            self.focus_main()
            self.screen.xdotool("key", "ctrl+q")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(10)

    def focus_main(self) -> None:
        shown = self.windows()
        for window in shown:
            if self.screen.xdotool("getwindowname", window).startswith("Dairy Desktop"):
                self.screen.xdotool("windowfocus", window)
                return


class Driver:
    """Random keyboard actions; each leaves the app on its main window (Escape at the end)."""

    def __init__(self, app: App, rng: random.Random, figures: Figures) -> None:
        self.app, self.rng, self.figures = app, rng, figures
        self.serial = 0

    def key(self, *keys: str) -> None:
        self.app.screen.xdotool("key", "--delay", "20", *keys)

    def type(self, text: str, delay_ms: int = 4) -> None:
        self.app.screen.xdotool("type", "--delay", str(delay_ms), text)

    def pause(self, low: float = 0.05, high: float = 0.4) -> None:
        time.sleep(self.rng.uniform(low, high))

    def code(self) -> str:
        self.serial += 1
        return f"SOK-{time.strftime('%Y%m%d')}-{self.serial % 10_000:04d}"

    def register(self) -> None:
        self.app.focus_main()
        self.key("ctrl+n")
        self.pause(0.3, 0.6)
        self.app.focus_top()
        self.type(self.code())
        self.key("alt+l")  # the Litres field's mnemonic
        self.type(str(self.rng.randint(100, 5000)))
        self.key("Return")
        self.pause(0.3, 0.8)

    def consume(self) -> None:
        self.app.focus_main()
        self.key("ctrl+f", "ctrl+a", "BackSpace", "ctrl+k")  # no search; a scan selects
        self.type(self.rng.choice(USABLE), delay_ms=4)
        self.key("Return")
        self.pause(0.4, 0.7)
        if len(self.app.windows()) <= 2:  # the scan selected it without opening a dialog
            self.app.focus_main()
            self.key("ctrl+e")
            self.pause(0.3, 0.6)
        self.app.focus_top()
        self.key("alt+l")
        self.type(str(self.rng.randint(1, 40)))
        self.key("alt+o")
        self.type(f"ORDER-{time.strftime('%Y%m%d')}-{self.rng.randint(0, 9999):04d}")
        self.pause(0.2, 0.3)
        self.key("alt+c")  # the Consume button's mnemonic
        self.pause(0.3, 0.8)

    def scan(self) -> None:
        self.app.focus_main()
        codes = ["SCH-20261127-9001", "HOF-20261129-9003", "BRU-20261129-9010", self.code()]
        self.type(self.rng.choice(codes), delay_ms=4)  # as a wedge scanner types
        self.key("Return")
        self.pause(0.3, 0.8)

    def scan_box(self) -> None:
        self.app.focus_main()
        self.key("ctrl+k")
        self.type(self.rng.choice(["SCH-20261128-9009", "no-such-code"]), delay_ms=4)
        self.key("Return")
        self.pause(0.2, 0.5)

    def refresh(self) -> None:
        self.app.focus_main()
        self.key("F5")

    def settings_ok(self) -> None:
        self.app.focus_main()
        self.key("ctrl+comma")
        self.pause(0.4, 1.0)
        self.app.focus_top()
        self.key("Return")  # OK: saves (the plant settings on a worker)
        self.pause(0.2, 0.8)

    def audit(self) -> None:
        self.app.focus_main()
        self.key("ctrl+l")
        self.pause(0.4, 1.2)

    def scan_log(self) -> None:
        self.app.focus_main()
        self.key("ctrl+shift+l")
        self.pause(0.2, 0.6)

    def find(self) -> None:
        self.app.focus_main()
        self.key("ctrl+f")
        self.type(self.rng.choice(["SCH", "ORDER", "9005", ""]))
        self.pause(0.1, 0.4)
        self.key("ctrl+a", "BackSpace")

    def escape(self) -> None:
        self.app.focus_top()
        self.key("Escape")

    def one(self) -> None:
        actions = [
            (self.register, 3),
            (self.consume, 4),
            (self.scan, 4),
            (self.scan_box, 2),
            (self.refresh, 3),
            (self.settings_ok, 2),
            (self.audit, 1),
            (self.scan_log, 1),
            (self.find, 2),
            (self.escape, 2),
        ]
        action = self.rng.choices([a for a, _ in actions], [w for _, w in actions])[0]
        action()
        for _ in range(3):  # back to the main window: close what the action left open
            if len(self.app.windows()) <= 1:
                break
            self.escape()
            self.pause(0.05, 0.2)
        self.figures.count(action.__name__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--display", default=":91")
    parser.add_argument("--stress", action="store_true", help="stress-ng --cpu 2 meanwhile")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the private home folder")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"seed {seed}", flush=True)

    screen = Screen(args.display)
    helpers: list[subprocess.Popen[bytes]] = []
    if not screen.up():
        helpers.append(
            subprocess.Popen(
                ["Xvfb", args.display, "-screen", "0", "1600x1000x24"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        time.sleep(1.0)
    if args.stress and shutil.which("stress-ng"):
        seconds = int(args.minutes * 60) + 30
        helpers.append(
            subprocess.Popen(
                ["stress-ng", "--cpu", "2", "--timeout", f"{seconds}s", "--quiet"],
                stdout=subprocess.DEVNULL,
            )
        )
    home = Path(tempfile.mkdtemp(prefix="dairy-soak-"))
    app = App(screen, home)
    figures = Figures()
    try:
        app.seed()
        app.start()
        driver = Driver(app, random.Random(seed), figures)
        end = time.monotonic() + args.minutes * 60
        while time.monotonic() < end:
            driver.one()
            if not app.alive():
                figures.crashes += 1
                print(f"app died (exit {app.process.returncode if app.process else '?'})")
                app.start()
        alive_at_end = app.alive()
        app.stop()
    finally:
        for helper in helpers:
            helper.terminate()
    log = app.log.read_text(encoding="utf-8", errors="replace") if app.log.exists() else ""
    traces = [line for line in log.splitlines() if CRASH_TRACE.search(line)]
    warnings = [line for line in log.splitlines() if THREAD_WARNINGS.search(line)]
    uncaught = log.count("uncaught exception in the window")
    minutes = (time.monotonic() - figures.started) / 60
    total = sum(figures.actions.values())
    print(f"minutes {minutes:.1f}, actions {total}: {dict(sorted(figures.actions.items()))}")
    print(f"crashes {figures.crashes}; app alive at the end: {alive_at_end}")
    print(f"faulthandler traces in the log: {len(traces)}; thread/timer warnings: {len(warnings)}")
    print(f"uncaught Python exceptions logged (app went on): {uncaught}")
    for line in (traces + warnings)[:20]:
        print("  " + line)
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    else:
        print(f"home kept: {home}")
    return 1 if figures.crashes or traces or warnings else 0


if __name__ == "__main__":
    sys.exit(main())
