"""A consume for an order whose connection dies between two of its batches: the server
rolls the transaction back, so nothing of it is recorded, and it says so (PostgreSQL)."""

from __future__ import annotations

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.services.orders_consume import consume_for_order
from tests.integration.orders_stock import ORDER, actor, batch_expiring, code, now, state
from tests.integration.test_reconnect_once import _kill_other_connections

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


def test_a_connection_lost_after_the_first_batch_records_none_of_them(
    database: Database, database_url: str
) -> None:
    start = now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 2, "50", start=start, expires_in_days=2)
    before = state(database)

    def lose_the_connection(count: int) -> None:
        if count == 1:
            assert _kill_other_connections(database_url) >= 1

    with pytest.raises(DatabaseUnavailable):
        consume_for_order(
            database, ORDER, "60", actor=actor("lost-1"), after_line=lose_the_connection
        )
    assert state(database) == before
    # Nothing landed: the same request id now records it once.
    consumed = consume_for_order(database, ORDER, "60", actor=actor("lost-1"))
    assert (consumed.replayed, [c.batch.code for c in consumed.lines]) == (
        False,
        [code(1), code(2)],
    )
