"""Run the command line in-process (fast) or as a real process (exact argv bytes, exit code)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import pytest

from dairy_desktop.__main__ import main


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> Outcome:
    code = main(["--database-url", url, "--operator", "ann", *args])
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def run_process(url: str, *args: str | bytes) -> subprocess.CompletedProcess[bytes]:
    command: list[str | bytes] = [
        sys.executable,
        "-m",
        "dairy_desktop",
        "--database-url",
        url,
        *args,
    ]
    return subprocess.run(command, capture_output=True, timeout=60, env=os.environ.copy())
