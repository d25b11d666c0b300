"""No pre-ping round trip before each use: a pooled connection that died (server restart,
backend killed) is found dead when used, and the unit of work reconnects once. A change is
resent only when it carries a request id, which makes the resend safe."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume, consume_once
from dairy_desktop.services.queries import get_batch, list_batches
from tests.integration.helpers import ANN, register
from tests.support.databases import open_test_database

CODE = "SCH-20251204-0001"
pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def _kill_other_connections(database_url: str) -> int:
    """Terminate every other backend on this database, as a server restart would."""
    admin = open_test_database(database_url)
    try:
        with admin.engine.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        admin.dispose()
    return int(killed)


def test_a_change_on_a_dead_pooled_connection_is_sent_again_once(
    database: Database, database_url: str
) -> None:
    register(database, liters="10")
    consume(database, CODE, "1", actor=ANN.for_action())  # leaves a pooled connection
    assert _kill_other_connections(database_url) >= 1
    changed = consume_once(database, CODE, "1", actor=ANN.for_action())
    assert (changed.replayed, changed.batch.remaining_ml) == (False, 8_000)
    assert len(list_audit(database)) == 3


def test_a_read_on_a_dead_pooled_connection_reconnects(
    database: Database, database_url: str
) -> None:
    register(database, liters="10")
    list_batches(database)
    assert _kill_other_connections(database_url) >= 1
    assert [b.code for b in list_batches(database).batches] == [CODE]


def test_a_change_without_a_request_id_is_not_resent_blindly(
    database: Database, database_url: str
) -> None:
    register(database, liters="10")
    consume(database, CODE, "1", actor=ANN)
    assert _kill_other_connections(database_url) >= 1
    with pytest.raises(DatabaseUnavailable):
        consume(database, CODE, "1", actor=ANN)
    assert get_batch(database, CODE).remaining_ml == 9_000
