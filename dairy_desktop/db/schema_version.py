"""Is the database's schema the one this app ships? Answered without importing Alembic.

Importing Alembic's machinery costs about 0.2 s, paid on every start only to learn that
nothing needs upgrading. Instead: the revision stored in the database (Alembic's own
alembic_version table) against the newest revision among the shipped migration scripts,
read from their `revision` / `down_revision` lines. Anything unexpected answers None, and
the caller then asks Alembic itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, text

from dairy_desktop.config.package_files import migrations_dir

VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps
_REVISION = re.compile(r"""^revision(?:\s*:\s*str)?\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"""^down_revision(?:\s*:[^=]+)?\s*=\s*(None|["']([^"']+)["'])\s*$""", re.MULTILINE
)


def stored_revision(engine: Engine) -> str | None:
    """The revision the database was last upgraded to; None if never, or not one revision."""
    with engine.connect() as connection:
        if not connection.dialect.has_table(connection, VERSION_TABLE):
            return None
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def shipped_head(versions: Path | None = None) -> str | None:
    """The newest revision among the migration scripts; None unless every script reads
    plainly and the history is one line (otherwise Alembic has to be asked)."""
    folder = versions or migrations_dir() / "versions"
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted(folder.glob("*.py")):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION.findall(source)
        down = _DOWN_REVISION.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        if down[0][0] != "None":
            parents.add(down[0][1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None
