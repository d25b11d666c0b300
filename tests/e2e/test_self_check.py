"""`dairy-desktop self-check`, unpackaged, as IT would run it after an install."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dairy_desktop.cli.self_check import self_check_code
from dairy_desktop.db.database import open_database
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.plant_settings import update_plant_settings

pytestmark = pytest.mark.slow


def run(*args: str, qpa: str | None = "xcb") -> subprocess.CompletedProcess[str]:
    """The real process. QT_QPA_PLATFORM=xcb with no display on purpose: the self-check must
    put its window offscreen by itself rather than inherit the environment's platform."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    if qpa is None:
        env.pop("QT_QPA_PLATFORM", None)
    else:
        env["QT_QPA_PLATFORM"] = qpa
    command = [sys.executable, "-m", "dairy_desktop", "--operator", "it-person", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_self_check_passes_on_a_temporary_sqlite_file() -> None:
    result = run("self-check")

    assert result.returncode == 0, result.stdout + result.stderr
    verdict = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"self-check: OK — SQLite \(temporary file\): schema \w+, "
        r"register/consume/audit \(CHK-\d{8}-\d{4}\), window \(offscreen\), "
        r"sheet PDF \(\d+ pages?\) — [\d.]+ s",
        verdict,
    ), verdict


def test_a_checked_database_keeps_the_test_batch_only_in_the_audit_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'plant.sqlite3').as_posix()}"

    result = run("self-check", "--database-url", url)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "test batch deleted (reason 'self-check')" in result.stdout
    live = json.loads(run("--database-url", url, "batches", "list", "--json").stdout)
    assert live == []
    everything = json.loads(
        run("--database-url", url, "batches", "list", "--include-deleted", "--json").stdout
    )
    assert [batch["status"] for batch in everything] == ["deleted"]
    trail = json.loads(run("--database-url", url, "audit", "--json").stdout)
    assert [(e["action"], e["reason"]) for e in trail] == [
        ("register", None),
        ("qa", None),  # a new database gates on QA: the lab's pass releases the test batch
        ("consume", None),
        ("delete", "self-check"),
    ]


def test_an_unreachable_database_fails_the_schema_step_with_exit_code_6() -> None:
    url = f"postgresql://dairy@127.0.0.1:{closed_port()}/dairy"

    result = run("self-check", "--database-url", url, qpa=None)

    assert result.returncode == 6
    assert result.stdout.startswith("self-check: FAILED at schema — Database unavailable")
    assert result.stderr.startswith("dairy-desktop: self-check failed at schema: ")


def test_the_global_database_option_is_the_one_checked() -> None:
    url = f"postgresql://dairy@127.0.0.1:{closed_port()}/dairy"

    result = run("--database-url", url, "self-check", qpa=None)

    assert result.returncode == 6
    assert "FAILED at schema" in result.stdout


def test_a_custom_code_pattern_it_cannot_follow_is_named_in_the_verdict(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'plant.sqlite3').as_posix()}"
    database = open_database(url)
    custom = PlantSettings(code_pattern=r"^(?:MILK|CREAM)-\d{4}$", time_zone="UTC")
    update_plant_settings(database, custom, Actor(operator="admin", workstation="PC"))
    database.dispose()

    result = run("self-check", "--database-url", url)

    assert result.returncode == 1
    assert "FAILED at register/consume/audit — the plant's code pattern" in result.stdout
    assert "is custom; self-check cannot build a code that matches it" in result.stdout


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^[A-Z]{3}-\d{8}-\d{4}$", "CHK-20251204-5678"),
        (r"^[A-Z]{2}\d{8}-\d{4}$", "SC20251204-5678"),
        (r"^MLK\d{6}$", "MLK345678"),
        (r"^\d{6}/\d{3}$", "251204/678"),
        (r"^(?:MILK|CREAM)-\d{4}$", None),
    ],
)
def test_the_self_check_code_follows_the_plants_pattern(pattern: str, expected: str | None) -> None:
    assert self_check_code(pattern, date(2025, 12, 4), 12_345_678) == expected
