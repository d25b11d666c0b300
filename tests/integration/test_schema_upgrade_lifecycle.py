"""Migration 0005 on both databases: a plant upgraded with batches in stock keeps working as
before (gate off, its batches released), a new one starts with the gate on; SQLite's rebuilt
audit table keeps every row, id, index and trigger; the downgrade refuses to lose data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.alembic_upgrade import alembic_config, current_revision, head_revision
from dairy_desktop.db.database import Database, open_database
from dairy_desktop.domain.qa import QaState
from tests.integration.test_lifecycle_storage import (
    BETA,
    changed,
    current,
    events,
    hold,
    register,
    stamp,
)
from tests.support.qa_gate import set_qa_gate

OLD_CODE = "SCH-20251204-0007"
# A batch and its event as an app at 0004 wrote them (no lifecycle columns yet); one
# transaction, as PostgreSQL's check at COMMIT wants the event with the change.
_OLD_BATCH = """
INSERT INTO batches (code, received_at, shelf_life_days, expires_at, initial_ml, remaining_ml,
    fat_centi, version, updated_at, updated_by, updated_workstation)
VALUES (:code, :received, 5, :expires, 50000, 50000, NULL, 1, :received, 'ann', 'PC-1')
"""
_OLD_EVENT = """
INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml, version_after,
    operator, workstation)
SELECT :received, id, 'register', 50000, 50000, 1, 'ann', 'PC-1' FROM batches WHERE code = :code
"""
SQLITE_AUDIT_TRIGGERS = {"audit_events_no_update", "audit_events_no_delete"}
AUDIT_INDEXES = {
    "ix_audit_events_batch_id",
    "ix_audit_events_at",
    "ix_audit_events_order_id",
    "ix_audit_events_operator",
    "ux_audit_events_request_id",
    "ix_audit_events_batch_version",
    "ux_audit_events_reverses_id",
}


def _migrate(url: str, step: Callable[[Config, str], None], revision: str) -> None:
    engine = create_engine(url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)
    finally:
        engine.dispose()


@pytest.fixture
def at_0004(database_url: str) -> str:
    """A fresh database taken back to 0004, empty."""
    _migrate(database_url, command.downgrade, "0004")
    return database_url


def _add_old_batch(url: str) -> None:
    received = datetime.now(UTC) - timedelta(hours=1)
    values = {"code": OLD_CODE, "received": received, "expires": received + timedelta(days=5)}
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(_OLD_BATCH), values)
            connection.execute(text(_OLD_EVENT), values)
    finally:
        engine.dispose()


def _gate_rows(database: Database) -> tuple[list[tuple[str, str | None]], list[tuple[str, ...]]]:
    with database.engine.connect() as connection:
        setting = connection.execute(
            text("SELECT value, updated_by FROM plant_settings WHERE key = 'qa_release_required'")
        ).all()
        history = connection.execute(
            text(
                "SELECT old_value, new_value, operator FROM plant_setting_changes"
                " WHERE key = 'qa_release_required' ORDER BY id"
            )
        ).all()
    return [tuple(r) for r in setting], [tuple(r) for r in history]  # type: ignore[misc]


def test_an_upgraded_plant_with_batches_gets_the_gate_off_and_its_batches_released(
    at_0004: str,
) -> None:
    _add_old_batch(at_0004)

    database = open_database(at_0004)
    try:
        assert current_revision(database.engine) == head_revision()
        setting, history = _gate_rows(database)
        assert setting == [("false", "schema upgrade")]
        # (The template's own history comes first: the settings history is append-only.)
        assert history[-1] == (None, "false", "schema upgrade")
        old = current(database, OLD_CODE)
        assert (old.qa_state, old.held_at, old.recalled_at) == (QaState.RELEASED, None, None)
        assert (old.supplier, old.temperature_deci) == (None, None)
        used = changed(
            database,
            lambda c: c.consume(OLD_CODE, 1_000, expected_version=1, order_id=None, stamp=stamp()),
        )
        assert used.batch.remaining_ml == 49_000
        assert register(database).qa_state is QaState.RELEASED  # the gate is off
    finally:
        database.dispose()


def test_a_new_plant_gets_the_gate_on(at_0004: str) -> None:
    database = open_database(at_0004)
    try:
        setting, history = _gate_rows(database)
        assert setting == [("true", "schema upgrade")]
        assert history[-1] == (None, "true", "schema upgrade")
        assert register(database).qa_state is QaState.PENDING
    finally:
        database.dispose()


def test_a_brand_new_sqlite_file_gets_the_gate_on(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{(tmp_path / 'new.sqlite3').as_posix()}")
    try:
        assert _gate_rows(database)[0] == [("true", "schema upgrade")]
    finally:
        database.dispose()


def test_the_upgrade_keeps_every_event_id_index_and_trigger(at_0004: str) -> None:
    _add_old_batch(at_0004)
    engine = create_engine(at_0004)
    with engine.connect() as connection:
        before = connection.execute(text("SELECT * FROM audit_events ORDER BY id")).all()
    engine.dispose()

    database = open_database(at_0004)
    try:
        with database.engine.connect() as connection:
            after = connection.execute(text("SELECT * FROM audit_events ORDER BY id")).all()
        assert [tuple(row)[: len(before[0])] for row in after] == [tuple(r) for r in before]
        names = {ix["name"] for ix in inspect(database.engine).get_indexes("audit_events")}
        assert names >= AUDIT_INDEXES
        if database.kind == "sqlite":
            with database.engine.connect() as connection:
                triggers = set(
                    connection.execute(
                        text(
                            "SELECT name FROM sqlite_master"
                            " WHERE type = 'trigger' AND tbl_name = 'audit_events'"
                        )
                    ).scalars()
                )
            assert triggers == SQLITE_AUDIT_TRIGGERS
        for statement in (
            "UPDATE audit_events SET operator = 'mallory'",
            "DELETE FROM audit_events",
        ):
            with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as c:
                c.execute(text(statement))
        assert len(events(database, OLD_CODE)) == 1
    finally:
        database.dispose()


def test_an_event_is_reversed_at_most_once_by_the_schema_itself(database: Database) -> None:
    """The unique index, below the guard: a second reverse row for one event is refused."""
    register(database)
    registered = events(database)[0]
    insert = text(
        "INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml,"
        " version_after, operator, workstation, reverses_id)"
        " SELECT :at, batch_id, 'reverse', 1, remaining_after_ml, version_after, 'x', 'y', id"
        " FROM audit_events WHERE id = :id"
    )
    values = {"at": datetime.now(UTC), "id": registered.id}
    with database.engine.connect() as connection:
        connection.execute(insert, values)
        with pytest.raises(DBAPIError, match="reverses_id"):
            connection.execute(insert, values)
        connection.rollback()


def test_the_downgrade_refuses_once_the_lifecycle_was_used(database_url: str) -> None:
    database = open_database(database_url, upgrade=False)
    try:
        register(database)
        changed(database, hold)
    finally:
        database.dispose()

    with pytest.raises(RuntimeError, match="Cannot downgrade below 0005"):
        _migrate(database_url, command.downgrade, "0004")

    database = open_database(database_url, upgrade=False)
    try:
        assert current_revision(database.engine) == head_revision()
        assert current(database).is_held
    finally:
        database.dispose()


def test_the_downgrade_refuses_once_a_registration_recorded_its_qa_state(
    database_url: str,
) -> None:
    """Every registration since 0005 records (and hashes) the QA state it started in:
    0004 would drop it and break the batch's chain."""
    database = open_database(database_url, upgrade=False)
    try:
        set_qa_gate(database, False)
        assert register(database).qa_state is QaState.RELEASED
    finally:
        database.dispose()

    with pytest.raises(RuntimeError, match="Cannot downgrade below 0005: 1 audit event"):
        _migrate(database_url, command.downgrade, "0004")

    database = open_database(database_url, upgrade=False)
    try:
        assert current_revision(database.engine) == head_revision()
        assert events(database)[0].qa_state_after == "released"
    finally:
        database.dispose()


def test_a_downgrade_without_lifecycle_data_and_the_upgrade_again(at_0004: str) -> None:
    _add_old_batch(at_0004)
    database = open_database(at_0004)
    try:
        changed(
            database,
            lambda c: c.consume(OLD_CODE, 1_000, expected_version=1, order_id=None, stamp=stamp()),
        )
    finally:
        database.dispose()

    _migrate(at_0004, command.downgrade, "0004")
    engine = create_engine(at_0004)
    columns = {c["name"] for c in inspect(engine).get_columns("batches")}
    event_columns = {c["name"] for c in inspect(engine).get_columns("audit_events")}
    engine.dispose()
    assert "qa_state" not in columns
    assert "qa_state_after" not in event_columns

    database = open_database(at_0004)
    try:
        assert current(database, OLD_CODE).qa_state is QaState.RELEASED
        assert _gate_rows(database)[0] == [("false", "schema upgrade")]
        changed(
            database,
            lambda c: c.record_qa(OLD_CODE, BETA, expected_version=None, stamp=stamp()),
        )
        trail = events(database, OLD_CODE)
        assert [e.action.value for e in trail] == ["register", "consume", "qa"]
        assert [e.qa_state_after for e in trail] == [None, None, "released"]
    finally:
        database.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize(
    "assignment",
    ["held_at = now()", "recalled_at = now()", "qa_state = 'released'"],
)
def test_a_lifecycle_state_set_by_hand_is_refused_at_commit(
    database: Database, assignment: str
) -> None:
    """0004's check that every change has its audit event covers the lifecycle columns,
    even when the version is left alone."""
    set_qa_gate(database, True)
    register(database)
    before = current(database)

    with (
        pytest.raises(DBAPIError, match="without its audit event"),
        database.engine.begin() as connection,
    ):
        connection.execute(text(f"UPDATE batches SET {assignment}"))

    assert current(database) == before
