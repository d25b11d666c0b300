"""Choosing the URL is cheap; merging in the stored password is done where it may cost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dairy_desktop.config.local_settings import (
    DATABASE_URL_ENV,
    choose_database_url,
    remember_password,
    resolve_database_url,
)

SERVER = "postgresql://dairy@db-server/dairy"


def test_the_chosen_url_leaves_the_password_out_and_resolving_puts_it_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, SERVER)
    remember_password("postgresql://dairy:s3cret@db-server/dairy")
    assert choose_database_url() == SERVER
    assert resolve_database_url() == "postgresql://dairy:s3cret@db-server/dairy"


def test_choosing_a_server_url_does_not_import_sqlalchemy(tmp_path: Path) -> None:
    # The window chooses its URL before it paints; SQLAlchemy's import (~0.3 s) must wait.
    probe = (
        "import sys\n"
        "from dairy_desktop.config.local_settings import choose_database_url\n"
        f"assert choose_database_url() == {SERVER!r}\n"
        "print('sqlalchemy' in sys.modules, 'keyring' in sys.modules)\n"
    )
    env = {**os.environ, DATABASE_URL_ENV: SERVER, "DAIRY_DESKTOP_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
