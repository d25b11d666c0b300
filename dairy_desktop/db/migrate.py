"""Schema upgrades, run by the app itself at start-up and by `migrate`.

Most starts find the schema current: that is settled by dairy_desktop.db.schema_version
without importing Alembic; Alembic runs only when there is something to upgrade, or a
revision this app does not know (which it refuses: SchemaTooNew).
"""

from __future__ import annotations

from sqlalchemy import Engine

from dairy_desktop.db.schema_version import shipped_head, stored_revision


def upgrade_schema(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after)."""
    current = stored_revision(engine)
    if current is not None and current == shipped_head():
        return current, current
    # Imported here: Alembic's machinery costs ~0.2 s that a start on a current schema skips.
    from dairy_desktop.db.alembic_upgrade import upgrade_with_alembic

    return upgrade_with_alembic(engine)
