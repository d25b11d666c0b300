"""Where this PC keeps its files: settings, the SQLite database, logs.

`DAIRY_DESKTOP_HOME` moves all of them under one folder (portable installs, tests).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "DairyDesktop"


def _home() -> Path | None:
    value = os.environ.get("DAIRY_DESKTOP_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, False))


def default_sqlite_path() -> Path:
    return data_dir() / "dairy.sqlite3"
