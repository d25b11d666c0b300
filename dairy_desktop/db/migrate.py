"""Schema upgrades with Alembic, run by the app itself at start-up and by `migrate`."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from dairy_desktop.domain.errors import SchemaTooNew


def migrations_dir() -> Path:
    """Where the Alembic scripts are: inside the bundle, or beside the package in a checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "alembic"] if bundle else []
    candidates.append(Path(__file__).resolve().parents[2] / "alembic")
    for candidate in candidates:
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"Alembic migrations not found in {', '.join(map(str, candidates))}")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(engine: Engine) -> str | None:
    """Refuse a database that a newer app version has already upgraded."""
    current = current_revision(engine)
    if current is None:
        return None
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {script.revision for script in scripts.walk_revisions()}
    if current not in known:
        raise SchemaTooNew(
            f"The database schema (revision {current}) is newer than this version of Dairy "
            f"Desktop understands (up to {scripts.get_current_head()}). Install the newer "
            "Dairy Desktop on this PC; nothing was changed."
        )
    return current


def upgrade_schema(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after)."""
    before = check_not_newer(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()
