"""Schema upgrades, run by the app itself at start-up and by `migrate`.

Most starts find the schema current: that is settled by dairy_desktop.db.schema_version
without importing Alembic; Alembic runs only when there is something to upgrade, or a
revision this app does not know (which it refuses: SchemaTooNew).

Either way the log gets one line: "schema up to date (0004)" or "schema upgraded from 0003
to 0004". Alembic's own INFO lines (a dozen per upgrade: plugins set up, the DDL mode, each
revision run) are held back meanwhile; its warnings still get through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.schema_version import shipped_head, stored_revision
from dairy_desktop.domain.errors import DatabaseUnavailable

log = logging.getLogger(__name__)

NEEDS_UPGRADE = "the schema needs upgrading: ask an administrator to run `dairy-desktop migrate`"
# PostgreSQL's SQLSTATE for "must be owner of table …", "permission denied for schema …".
_INSUFFICIENT_PRIVILEGE = "42501"


def upgrade_schema(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after)."""
    current = stored_revision(engine)
    if current is not None and current == shipped_head():
        log.info("schema up to date (%s)", current)
        return current, current
    with alembic_quiet():
        # Imported here: Alembic's machinery costs ~0.2 s that a start on a current schema
        # skips; importing it logs its plugins, hence inside.
        from dairy_desktop.db.alembic_upgrade import upgrade_with_alembic

        try:
            before, after = upgrade_with_alembic(engine)
        except DBAPIError as error:
            # A least-privilege role (README: Trust) may use the app but not change the
            # schema; the upgrade it attempted was rolled back whole.
            if getattr(error.orig, "pgcode", None) == _INSUFFICIENT_PRIVILEGE:
                raise DatabaseUnavailable(NEEDS_UPGRADE) from None
            raise
    log.info(describe_upgrade(before, after))
    return before, after


def describe_upgrade(before: str | None, after: str) -> str:
    if before == after:
        return f"schema up to date ({after})"
    return f"schema upgraded from {before or 'empty'} to {after}"


@contextmanager
def alembic_quiet() -> Iterator[None]:
    """Alembic's loggers at WARNING for the duration, then as they were."""
    alembic = logging.getLogger("alembic")
    level = alembic.level
    alembic.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        alembic.setLevel(level)
