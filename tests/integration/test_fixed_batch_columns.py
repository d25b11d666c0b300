"""What a batch is (code, received time, shelf life, expiry, size, fat, intake) never changes
after registration: on both databases the schema refuses an UPDATE of it, even from the owner,
and PostgreSQL refuses an updated_at ahead of its clock (it would pin later event times)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.alembic_upgrade import alembic_config
from dairy_desktop.db.database import Database
from dairy_desktop.services.audit_verify import verify_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from tests.integration.helpers import ANN, register
from tests.integration.test_schema_upgrade_lifecycle import _add_old_batch

CODE = "SCH-20251204-0001"

FIXED_COLUMN_UPDATES = {
    "code": "code = 'SCH-20251204-0999'",
    "received_at": "received_at = expires_at",
    "shelf_life_days": "shelf_life_days = 30",
    "expires_at": "expires_at = received_at",
    "initial_ml": "initial_ml = initial_ml + 1000",
    "fat_centi": "fat_centi = 350",
    # The intake (migration 0005) is what the receiving bay recorded: fixed too.
    "supplier": "supplier = 'Other Farm'",
    "tanker": "tanker = 'TK-0'",
    "seal": "seal = 'S-0'",
    "temperature_deci": "temperature_deci = 40",
}


def _row(database: Database) -> dict[str, Any]:
    with database.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM batches WHERE code = :c"), {"c": CODE})
        return dict(row.mappings().one())


@pytest.mark.parametrize("column", FIXED_COLUMN_UPDATES)
def test_an_update_of_what_a_batch_is_is_refused(database: Database, column: str) -> None:
    register(database, CODE, "100")
    before = _row(database)

    with pytest.raises(DBAPIError, match="never change"), database.engine.begin() as connection:
        connection.execute(text(f"UPDATE batches SET {FIXED_COLUMN_UPDATES[column]}"))

    assert _row(database) == before
    assert verify_audit(database).ok


def test_an_expiry_pushed_back_with_an_audited_looking_change_is_refused_too(
    database: Database,
) -> None:
    register(database, CODE, "100")
    before = _row(database)

    with pytest.raises(DBAPIError, match="never change"), database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE batches SET expires_at = :later, remaining_ml = remaining_ml"
                " WHERE code = :c"
            ),
            {"later": "2999-01-01 00:00:00.000000", "c": CODE},
        )

    assert _row(database) == before


def test_the_days_changes_still_go_through(database: Database) -> None:
    register(database, CODE, "100")
    consume(database, CODE, "10", actor=ANN.for_action())
    delete_batch(database, CODE, reason="spilt", actor=ANN.for_action())
    restore_batch(database, CODE, reason="found", actor=ANN.for_action())

    row = _row(database)
    assert (row["remaining_ml"], row["version"], row["deleted_at"]) == (90_000, 4, None)
    assert verify_audit(database).ok


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgresql_refuses_an_updated_at_ahead_of_its_clock(database: Database) -> None:
    register(database, CODE, "100")
    before = _row(database)

    with (
        pytest.raises(DBAPIError, match="ahead of the server clock"),
        database.engine.begin() as connection,
    ):
        connection.execute(text("UPDATE batches SET updated_at = now() + interval '10 days'"))

    assert _row(database) == before
    consume(database, CODE, "10", actor=ANN.for_action())
    assert _row(database)["updated_at"] < datetime.now(UTC) + timedelta(minutes=1)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_updated_at_a_moment_ahead_is_still_accepted(database: Database) -> None:
    """Within the tolerance: a clock a little ahead is not an attack."""
    register(database, CODE, "100")
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE batches SET updated_at = now() + interval '1 minute'"))


def _expiry_can_be_moved(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            try:
                connection.execute(text("UPDATE batches SET expires_at = received_at"))
            except DBAPIError:
                return False
            finally:
                connection.rollback()
            return True
    finally:
        engine.dispose()


def _migrate(url: str, step: Callable[[Config, str], None], revision: str) -> None:
    engine = create_engine(url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)
    finally:
        engine.dispose()


def test_the_downgrade_removes_the_guard_and_the_upgrade_puts_it_back(
    database_url: str,
) -> None:
    # A batch from before 0005: one registered since records its QA state, which 0004
    # has nowhere to keep, so the downgrade would refuse.
    _migrate(database_url, command.downgrade, "0004")
    _add_old_batch(database_url)
    _migrate(database_url, command.upgrade, "head")
    assert not _expiry_can_be_moved(database_url)

    _migrate(database_url, command.downgrade, "0003")
    assert _expiry_can_be_moved(database_url)

    _migrate(database_url, command.upgrade, "head")
    assert not _expiry_can_be_moved(database_url)
