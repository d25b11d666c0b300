"""A unit of work whose ROLLBACK failed never hands its connection back to the pool: it may
still be inside the transaction, and the next change sent on it (one statement, no BEGIN or
COMMIT of its own on PostgreSQL) would run inside that transaction and never commit."""

from __future__ import annotations

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import ANN, register
from tests.support.databases import open_test_database

CODE = "SCH-20251204-0001"


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("rollback failed")


def test_a_connection_whose_rollback_failed_is_discarded(
    database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(database, liters="10")
    # PostgreSQL's units of work send ROLLBACK as SQL (autocommit connections); SQLite's
    # roll back through the connection.
    ends_with = "exec_driver_sql" if database.kind == "postgresql" else "rollback"
    uow = database.unit_of_work(write=True).__enter__()
    driver_connection = uow.connection.connection.dbapi_connection
    monkeypatch.setattr(uow.connection, ends_with, _refuse)
    with pytest.raises(RuntimeError, match="rollback failed"):
        uow.__exit__(None, None, None)  # left without commit(): rolls back
    with database.unit_of_work() as after:
        assert after.connection.connection.dbapi_connection is not driver_connection
    changed = consume_once(database, CODE, "1", actor=ANN.for_action())
    assert changed.batch.remaining_ml == 9_000
    elsewhere = open_test_database(database_url)
    try:
        assert get_batch(elsewhere, CODE).remaining_ml == 9_000
    finally:
        elsewhere.dispose()
