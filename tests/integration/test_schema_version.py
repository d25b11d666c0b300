"""A start on a current schema settles it without Alembic, and agrees with Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dairy_desktop.config.package_files import migrations_dir
from dairy_desktop.db.alembic_upgrade import current_revision, head_revision
from dairy_desktop.db.database import Database
from dairy_desktop.db.engine import create_database_engine
from dairy_desktop.db.migrate import upgrade_schema
from dairy_desktop.db.schema_version import shipped_head, stored_revision

MIGRATION = '''"""A migration.

Revision ID: {revision}
Revises: {down}
"""

revision: str = "{revision}"
down_revision: str | None = {down_literal}
'''


def _write(folder: Path, revision: str, down: str | None) -> None:
    literal = "None" if down is None else f'"{down}"'
    text_ = MIGRATION.format(revision=revision, down=down, down_literal=literal)
    (folder / f"{revision}_step.py").write_text(text_, encoding="utf-8")


def test_the_shipped_head_read_from_the_scripts_is_alembics_head() -> None:
    assert shipped_head() == head_revision()


def test_the_shipped_head_is_the_revision_nothing_follows(tmp_path: Path) -> None:
    _write(tmp_path, "0001", None)
    _write(tmp_path, "0003", "0002")
    _write(tmp_path, "0002", "0001")
    assert shipped_head(tmp_path) == "0003"


def test_a_script_that_does_not_read_plainly_leaves_the_answer_to_alembic(tmp_path: Path) -> None:
    _write(tmp_path, "0001", None)
    (tmp_path / "0002_step.py").write_text("revision = make_revision()\n", encoding="utf-8")
    assert shipped_head(tmp_path) is None


def test_two_heads_leave_the_answer_to_alembic(tmp_path: Path) -> None:
    _write(tmp_path, "0001", None)
    _write(tmp_path, "0002a", "0001")
    _write(tmp_path, "0002b", "0001")
    assert shipped_head(tmp_path) is None


def test_the_stored_revision_is_what_alembic_reads(database: Database) -> None:
    assert stored_revision(database.engine) == current_revision(database.engine)
    assert stored_revision(database.engine) == head_revision()


def test_a_database_never_upgraded_has_no_stored_revision(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{(tmp_path / 'empty.sqlite3').as_posix()}")
    assert stored_revision(engine) is None
    assert upgrade_schema(engine) == (None, head_revision())
    engine.dispose()


def test_a_current_schema_is_left_alone(database: Database) -> None:
    head = head_revision()
    assert upgrade_schema(database.engine) == (head, head)


OPEN_AND_REPORT = """
import sys
from dairy_desktop.db.database import open_database
open_database(sys.argv[1]).dispose()
print(sorted(name for name in sys.modules if name == "alembic" or name.startswith("alembic.")))
"""


def test_opening_a_current_database_does_not_import_alembic(sqlite_database: Database) -> None:
    url = sqlite_database.engine.url.render_as_string(hide_password=False)
    assert migrations_dir().is_dir()
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == "[]"
