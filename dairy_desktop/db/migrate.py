"""Schema upgrades, run by the app itself at start-up and by `migrate`.

Most starts find the schema current: that is settled by dairy_desktop.db.schema_version
without importing Alembic; Alembic runs only when there is something to upgrade, or a
revision this app does not know (which it refuses: SchemaTooNew).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.schema_version import shipped_head, stored_revision
from dairy_desktop.domain.errors import DatabaseUnavailable

NEEDS_UPGRADE = "the schema needs upgrading: ask an administrator to run `dairy-desktop migrate`"
# PostgreSQL's SQLSTATE for "must be owner of table …", "permission denied for schema …".
_INSUFFICIENT_PRIVILEGE = "42501"


def upgrade_schema(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after)."""
    current = stored_revision(engine)
    if current is not None and current == shipped_head():
        return current, current
    # Imported here: Alembic's machinery costs ~0.2 s that a start on a current schema skips.
    from dairy_desktop.db.alembic_upgrade import upgrade_with_alembic

    try:
        return upgrade_with_alembic(engine)
    except DBAPIError as error:
        # A least-privilege role (README: Trust) may use the app but not change the schema;
        # the upgrade it attempted was rolled back whole.
        if getattr(error.orig, "pgcode", None) == _INSUFFICIENT_PRIVILEGE:
            raise DatabaseUnavailable(NEEDS_UPGRADE) from None
        raise
