"""How long `audit verify` takes over a large trail, on SQLite and PostgreSQL.

    .venv/bin/python -m tests.benchmarks.bench_audit_verify [events] [events per batch]

Builds a trail of `events` (default 1,000,000) correctly chained events, `events per batch`
(default 10) per batch: a register and then consumes of 1 L each, bulk-inserted with the
hashes computed as the app computes them, then times verify_audit once per database. The
PostgreSQL server is the test suite's throwaway one (started here, removed at the end).
Also reports the peak resident memory of this process after each run.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from psycopg2.extras import execute_values
from sqlalchemy import Connection, TextClause, text

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.domain.audit_chain import GENESIS, ChainedContent, event_hash
from tests.support.postgres_server import remove_server, start_server

INITIAL_ML = 100_000_000
CHUNK = 20_000


def _rows(
    events: int, per_batch: int
) -> Iterator[tuple[list[dict[str, object]], list[dict[str, object]]]]:
    start = datetime(2025, 12, 4, 6, 0, tzinfo=UTC)
    batches: list[dict[str, object]] = []
    trail: list[dict[str, object]] = []
    event_id = 0
    for batch_id in range(1, events // per_batch + 1):
        code = f"BEN-{batch_id:08d}"
        at = start + timedelta(seconds=batch_id)
        prev, remaining = GENESIS, INITIAL_ML
        for version in range(1, per_batch + 1):
            event_id += 1
            action = "register" if version == 1 else "consume"
            liters = INITIAL_ML if version == 1 else 1000
            remaining = INITIAL_ML if version == 1 else remaining - 1000
            moment = at + timedelta(microseconds=version)
            content = ChainedContent(
                code,
                action,
                moment,
                liters,
                remaining,
                version,
                None,
                "bench",
                "PC-1",
                None,
                f"bench-{event_id}",
                "bench",
                prev,
            )
            digest = event_hash(content)
            trail.append(
                {
                    "id": event_id,
                    "at": moment,
                    "batch_id": batch_id,
                    "action": action,
                    "liters_ml": liters,
                    "remaining_after_ml": remaining,
                    "version_after": version,
                    "operator": "bench",
                    "workstation": "PC-1",
                    "request_id": f"bench-{event_id}",
                    "db_user": "bench",
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        batches.append(
            {
                "id": batch_id,
                "code": code,
                "shelf_life_days": 5,
                "received_at": at,
                "expires_at": at + timedelta(days=5),
                "initial_ml": INITIAL_ML,
                "remaining_ml": remaining,
                "version": per_batch,
                "updated_at": at,
            }
        )
        if len(trail) >= CHUNK:
            yield batches, trail
            batches, trail = [], []
    if batches:
        yield batches, trail


_BATCH = text(
    "INSERT INTO batches (id, code, received_at, shelf_life_days, expires_at, initial_ml,"
    " remaining_ml, version, updated_at) VALUES (:id, :code, :received_at, :shelf_life_days, :expires_at,"
    " :initial_ml, :remaining_ml, :version, :updated_at)"
)
_EVENT = text(
    "INSERT INTO audit_events (id, at, batch_id, action, liters_ml, remaining_after_ml,"
    " version_after, operator, workstation, request_id, db_user, prev_hash, hash) VALUES"
    " (:id, :at, :batch_id, :action, :liters_ml, :remaining_after_ml, :version_after,"
    " :operator, :workstation, :request_id, :db_user, :prev_hash, :hash)"
)


_GATE_OFF = text(
    "INSERT INTO plant_setting_changes (at, key, new_value, operator)"
    " VALUES (:at, 'qa_release_required', 'false', 'bench')"
)


def _insert_values(
    connection: Connection, statement: TextClause, rows: list[dict[str, object]]
) -> None:
    """psycopg2's execute_values: one round trip per page, not one per row."""
    sql = str(statement).split(" VALUES ")
    names = [part.strip(" :") for part in sql[1].strip("() ").split(",")]
    template = "(" + ", ".join(f"%({name})s" for name in names) + ")"
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    execute_values(cursor, sql[0] + " VALUES %s", rows, template=template, page_size=5000)


def _fill(database: Database, events: int, per_batch: int) -> None:
    from dairy_desktop.db.types import UTCDateTime  # the app's own timestamp encoding

    kind = UTCDateTime().process_bind_param
    dialect = database.engine.dialect
    with database.engine.begin() as connection:
        if database.kind == "postgresql":  # bulk load: the COMMIT-time check per row is skipped
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        # The trail predates this database's QA gate: recorded off until then, so its batches
        # were released at registration, as on a plant that upgraded with stock.
        connection.execute(
            _GATE_OFF,
            {"at": kind(datetime(2025, 12, 1, tzinfo=UTC), dialect)},  # type: ignore[arg-type]
        )
        for batches, trail in _rows(events, per_batch):
            for row in batches:
                for key in ("received_at", "expires_at", "updated_at"):
                    row[key] = kind(row[key], dialect)  # type: ignore[arg-type]
            for row in trail:
                row["at"] = kind(row["at"], dialect)  # type: ignore[arg-type]
            if database.kind == "postgresql":
                _insert_values(connection, _BATCH, batches)
                _insert_values(connection, _EVENT, trail)
            else:
                connection.execute(_BATCH, batches)
                connection.execute(_EVENT, trail)
        if database.kind == "postgresql":
            for table in ("batches", "audit_events"):
                connection.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
            connection.execute(text("ANALYZE"))


def _measure(url: str, label: str, events: int, per_batch: int) -> None:
    from dairy_desktop.services.audit_verify import verify_audit

    database = open_database(url)
    try:
        started = time.perf_counter()
        _fill(database, events, per_batch)
        filled = time.perf_counter() - started
        started = time.perf_counter()
        verification = verify_audit(database)
        took = time.perf_counter() - started
    finally:
        database.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert verification.ok, verification.message
    print(
        f"{label:<10} {verification.events:>9,} events  verify {took:6.1f} s "
        f"({verification.events / took:,.0f} events/s)  fill {filled:5.1f} s  "
        f"peak RSS {peak_mb:,.0f} MB"
    )


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    per_batch = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    with tempfile.TemporaryDirectory() as folder:
        _measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite", events, per_batch)
    server = start_server()
    try:
        _measure(server.url("postgres"), "PostgreSQL", events, per_batch)
    finally:
        remove_server(server)


if __name__ == "__main__":
    main()
