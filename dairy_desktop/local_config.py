"""Per-PC settings (which database, who is operating), kept in a small JSON file.

Plant-wide settings live in the database; only what differs between PCs lives here.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from dairy_desktop import paths

DATABASE_URL_ENV = "DAIRY_DESKTOP_DATABASE_URL"
OPERATOR_ENV = "DAIRY_DESKTOP_OPERATOR"


@dataclass
class LocalConfig:
    database_url: str | None = None
    operator: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def config_path() -> Path:
    return paths.config_dir() / "settings.json"


def load_local_config() -> LocalConfig:
    path = config_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return LocalConfig()
    except (OSError, ValueError):
        # A damaged settings file must not keep the app from starting; defaults apply.
        return LocalConfig()
    known = {k: raw.pop(k) for k in ("database_url", "operator") if k in raw}
    return LocalConfig(**known, extra=raw.get("extra", {}))


def save_local_config(config: LocalConfig) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    os.replace(temporary, path)  # atomic: a crash never leaves half a settings file


def resolve_database_url(explicit: str | None = None) -> str:
    """--database-url, else the environment, else the settings file, else the SQLite file."""
    for candidate in (explicit, os.environ.get(DATABASE_URL_ENV), load_local_config().database_url):
        if candidate and candidate.strip():
            return candidate.strip()
    return f"sqlite:///{paths.default_sqlite_path().as_posix()}"


def resolve_operator(explicit: str | None = None) -> str | None:
    for candidate in (explicit, os.environ.get(OPERATOR_ENV), load_local_config().operator):
        if candidate and candidate.strip():
            return candidate.strip()
    return None
