"""What an intruder with the owner's rights can do to the record, for the tests that must
catch it: write to batches and audit_events with every guarding trigger out of the way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from dairy_desktop.db.database import Database

_SQLITE_GUARDS = ("audit_events_no_update", "audit_events_no_delete")


@contextmanager
def tampering(database: Database) -> Iterator[Connection]:
    """A transaction in which no trigger fires (PostgreSQL: as a superuser, the replica
    role; SQLite: the append-only triggers dropped for good), committed on leaving."""
    with database.engine.begin() as connection:
        if database.kind == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for trigger in _SQLITE_GUARDS:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        yield connection
