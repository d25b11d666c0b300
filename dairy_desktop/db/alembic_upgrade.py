"""Schema upgrades through Alembic: the migration scripts run on the app's own connection."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from dairy_desktop.config.package_files import migrations_dir
from dairy_desktop.domain.errors import SchemaTooNew


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


def upgrade_with_alembic(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after)."""
    before = check_not_newer(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()
