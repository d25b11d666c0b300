"""The window's process ends straight after a clean close, with its log complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_window_ends_with_exit_0_and_a_flushed_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    probe = tmp_path / "painted.txt"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DAIRY_DESKTOP_HOME": str(home),
        "DAIRY_DESKTOP_EXIT_AFTER_PAINT": str(probe),  # quits once the batches are shown
    }
    env.pop("DAIRY_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "dairy_desktop"], env=env, capture_output=True, timeout=120
    )

    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert "data_painted=" in probe.read_text()
    log = (home / "logs" / "dairy-desktop.log").read_text(encoding="utf-8")
    assert "schema upgraded from empty to" in log  # written, and flushed before the exit
