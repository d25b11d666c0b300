"""Whose clock decides: on PostgreSQL the database server's, in the statement that makes
the change; the time the services are given (the PC's) is ignored there. On SQLite the PC
is the server, and nothing changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import BatchExpired
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.register import register_batch
from tests.integration.helpers import ANN, register

CODE = "SCH-20251204-0001"
BEHIND = timedelta(hours=2)
ON_POSTGRES = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def _server_now(database: Database) -> datetime:
    if database.kind == "sqlite":
        return datetime.now(UTC)  # the PC is the server
    with database.engine.connect() as connection:
        moment: datetime = connection.execute(text("SELECT now()")).scalar_one()
    return moment


def _expired_an_hour_ago(database: Database) -> None:
    register(database, liters="10", days=1, received=_server_now(database) - timedelta(hours=25))


@ON_POSTGRES
def test_a_pc_clock_two_hours_behind_cannot_consume_an_expired_batch(database: Database) -> None:
    _expired_an_hour_ago(database)
    pc_now = datetime.now(UTC) - BEHIND  # by this clock the batch has an hour left
    with pytest.raises(BatchExpired, match="expired"):
        consume(database, CODE, "1", actor=ANN, now=pc_now)
    assert get_batch(database, CODE).remaining_ml == 10_000
    assert len(list_audit(database)) == 1


@ON_POSTGRES
def test_times_written_are_the_servers_not_the_pcs(database: Database) -> None:
    register(database, liters="10")
    pc_now = datetime.now(UTC) - BEHIND
    batch = consume(database, CODE, "1", actor=ANN, now=pc_now)
    server_now = _server_now(database)
    event = list_audit(database)[-1]
    assert abs(event.at - server_now) < timedelta(seconds=1)
    assert batch.updated_at == event.at
    deleted = delete_batch(database, CODE, reason="sour", actor=ANN, now=pc_now)
    assert deleted.deleted_at is not None
    assert abs(deleted.deleted_at - _server_now(database)) < timedelta(seconds=1)


@ON_POSTGRES
def test_the_default_received_time_is_the_servers(database: Database) -> None:
    pc_now = datetime.now(UTC) - BEHIND
    registered = register_batch(
        database, code=CODE, liters="10", shelf_life_days=3, actor=ANN, now=pc_now
    )
    batch = registered.batch
    assert abs(batch.received_at - _server_now(database)) < timedelta(seconds=1)
    assert batch.expires_at == batch.received_at + timedelta(days=3)
    assert list_audit(database)[0].at == batch.received_at


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_the_pcs_clock_still_decides(database: Database) -> None:
    _expired_an_hour_ago(database)
    pc_now = datetime.now(UTC) - BEHIND
    batch = consume(database, CODE, "1", actor=ANN, now=pc_now)
    assert batch.remaining_ml == 9_000
    assert list_audit(database)[-1].at == pc_now
