"""A schema check leaves one line in the log, whatever it did: not Alembic's dozen."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from dairy_desktop.__main__ import main
from dairy_desktop.db.alembic_upgrade import alembic_config, head_revision
from dairy_desktop.db.engine import create_database_engine

MIGRATE_LOGGER = "dairy_desktop.db.migrate"


def migration_lines(caplog: pytest.LogCaptureFixture, *args: str) -> list[str]:
    """What one CLI call logged about the schema: our line(s) and anything of Alembic's."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        assert main([*args]) == 0
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.name == MIGRATE_LOGGER or r.name.startswith("alembic")
    ]


def previous_revision() -> str:
    down = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision()).down_revision
    assert isinstance(down, str)
    return down


def downgrade_to(url: str, revision: str) -> None:
    engine = create_database_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def test_a_fresh_database_logs_one_upgrade_line_then_one_up_to_date_line(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    url = f"sqlite:///{(tmp_path / 'fresh.sqlite3').as_posix()}"
    head = head_revision()
    assert migration_lines(caplog, "--database-url", url, "migrate") == [
        f"{MIGRATE_LOGGER}: schema upgraded from empty to {head}"
    ]
    assert migration_lines(caplog, "--database-url", url, "migrate") == [
        f"{MIGRATE_LOGGER}: schema up to date ({head})"
    ]
    # Every command checks the schema, and says so in the same one line.
    assert migration_lines(caplog, "--database-url", url, "batches", "list") == [
        f"{MIGRATE_LOGGER}: schema up to date ({head})"
    ]
    # Alembic's loggers are left as they were, for whoever else uses Alembic.
    assert logging.getLogger("alembic").level == logging.NOTSET


def test_an_older_schema_logs_one_line_from_and_to(
    caplog: pytest.LogCaptureFixture, database_url: str
) -> None:
    before = previous_revision()
    downgrade_to(database_url, before)
    assert migration_lines(caplog, "--database-url", database_url, "migrate") == [
        f"{MIGRATE_LOGGER}: schema upgraded from {before} to {head_revision()}"
    ]


@pytest.mark.slow
def test_the_log_file_of_two_real_runs_has_one_schema_line_each(tmp_path: Path) -> None:
    """As a real process: Alembic is imported fresh there, and logs its plugins as it is."""
    url = f"sqlite:///{(tmp_path / 'fresh.sqlite3').as_posix()}"
    env = {**os.environ, "DAIRY_DESKTOP_HOME": str(tmp_path / "home")}
    for _ in range(2):
        subprocess.run(
            [sys.executable, "-m", "dairy_desktop", "--database-url", url, "migrate"],
            check=True,
            capture_output=True,
            timeout=60,
            env=env,
        )
    log = (tmp_path / "home" / "logs" / "dairy-desktop.log").read_text(encoding="utf-8")
    assert [line.split(" ", 2)[2] for line in log.splitlines()] == [
        f"INFO [{MIGRATE_LOGGER}] schema upgraded from empty to {head_revision()}",
        f"INFO [{MIGRATE_LOGGER}] schema up to date ({head_revision()})",
    ]
