"""Load a benchmark's batches and audit events in bulk, in the app's own encodings.

Far faster than going through the services (a million events in seconds), so the
benchmarks measure reads at plant scale without an hour of set-up. The rows are written
as they are given: a benchmark's own generator keeps them consistent.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import TextClause, text

from dairy_desktop.db.database import Database
from tests.benchmarks.bench_audit_verify import _BATCH, _insert_values

Rows = list[dict[str, object]]


def fill(database: Database, chunks: Iterable[tuple[Rows, Rows]], events: TextClause) -> int:
    """Insert each chunk's batch rows, then its event rows with `events`; return the
    number of events written."""
    from dairy_desktop.db.types import UTCDateTime  # the app's own timestamp encoding

    bind = UTCDateTime().process_bind_param
    dialect = database.engine.dialect
    written = 0
    with database.engine.begin() as connection:
        if database.kind == "postgresql":  # bulk load: the COMMIT-time check per row is skipped
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        for batch_rows, event_rows in chunks:
            for row in batch_rows:
                for key in ("received_at", "expires_at", "updated_at"):
                    row[key] = bind(row[key], dialect)  # type: ignore[arg-type]
            for row in event_rows:
                row["at"] = bind(row["at"], dialect)  # type: ignore[arg-type]
            if database.kind == "postgresql":
                _insert_values(connection, _BATCH, batch_rows)
                _insert_values(connection, events, event_rows)
            else:
                connection.execute(_BATCH, batch_rows)
                connection.execute(events, event_rows)
            written += len(event_rows)
        connection.execute(text("ANALYZE"))
    return written
