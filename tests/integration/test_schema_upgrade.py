"""An office PC's existing database is upgraded in place when a newer app starts."""

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from dairy_desktop.db.alembic_upgrade import alembic_config, current_revision, head_revision
from dairy_desktop.db.database import open_database
from dairy_desktop.db.engine import create_database_engine
from dairy_desktop.services.queries import get_batch

_FIRST_SCHEMA_BATCH = """
INSERT INTO batches (code, received_at, shelf_life_days, expires_at, initial_ml, remaining_ml,
    fat_centi, version, updated_at, updated_by, updated_workstation)
VALUES ('SCH-20251204-0001', '2025-12-04 07:00:00.000000', 5, '2025-12-09 07:00:00.000000',
    12345, 12345, NULL, 1, '2025-12-04 07:00:00.000000', 'ann', 'PC-1')
"""
_FIRST_SCHEMA_EVENT = """
INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml, version_after,
    operator, workstation)
VALUES ('2025-12-04 07:00:00.000000', 1, 'register', 12345, 12345, 1, 'ann', 'PC-1')
"""


def test_a_database_on_the_first_schema_upgrades_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'old.sqlite3').as_posix()}"
    engine = create_database_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    # Data as an app of that time wrote it (today's app writes columns 0001 does not have).
    with engine.begin() as connection:
        connection.execute(text(_FIRST_SCHEMA_BATCH))
        connection.execute(text(_FIRST_SCHEMA_EVENT))
    assert current_revision(engine) == "0001"
    engine.dispose()

    upgraded = open_database(url)
    assert current_revision(upgraded.engine) == head_revision()
    indexes = {ix["name"] for ix in inspect(upgraded.engine).get_indexes("audit_events")}
    assert "ix_audit_events_order_id" in indexes
    assert str(get_batch(upgraded, "SCH-20251204-0001").remaining_liters) == "12.345"
    upgraded.dispose()
