"""An office PC's existing database is upgraded in place when a newer app starts."""

from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from dairy_desktop.db.alembic_upgrade import alembic_config, current_revision, head_revision
from dairy_desktop.db.database import Database, open_database
from dairy_desktop.db.engine import create_database_engine
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import register


def test_a_database_on_the_first_schema_upgrades_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'old.sqlite3').as_posix()}"
    engine = create_database_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    register(Database(engine), liters="12.345")
    assert current_revision(engine) == "0001"
    engine.dispose()

    upgraded = open_database(url)
    assert current_revision(upgraded.engine) == head_revision()
    indexes = {ix["name"] for ix in inspect(upgraded.engine).get_indexes("audit_events")}
    assert "ix_audit_events_order_id" in indexes
    assert str(get_batch(upgraded, "SCH-20251204-0001").remaining_liters) == "12.345"
    upgraded.dispose()
