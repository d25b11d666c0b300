"""The rules the data obeys, enforced by the database itself as the last guard."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.db.models import Base
from dairy_desktop.db.repositories import AuditRepository
from dairy_desktop.domain.errors import DatabaseUnavailable, SchemaTooNew
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import ANN, register

CODE = "SCH-20251204-0001"

_PG_CRASH_ON_AUDIT_INSERT = """
CREATE FUNCTION crash_on_audit_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'power cut between the UPDATE and the audit insert';
END
$$;
CREATE TRIGGER crash_on_audit_insert BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION crash_on_audit_insert();
"""


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET operator = 'mallory'", "DELETE FROM audit_events"]
)
def test_audit_events_cannot_be_updated_or_deleted(database: Database, statement: str) -> None:
    register(database)
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
        connection.execute(text(statement))
    assert list_audit(database)[0].operator == "ann"


@pytest.mark.postgres
def test_audit_events_cannot_be_truncated_on_postgres(postgres_factory: object) -> None:
    url = postgres_factory.new_url()  # type: ignore[attr-defined]
    database = open_database(url, upgrade=False)
    register(database)
    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
        connection.execute(text("TRUNCATE audit_events CASCADE"))
    assert len(list_audit(database)) == 1
    database.dispose()
    postgres_factory.drop(url)  # type: ignore[attr-defined]


def test_remaining_can_never_go_below_zero_even_by_hand(database: Database) -> None:
    register(database, liters="1")
    with pytest.raises(DBAPIError), database.engine.begin() as connection:
        connection.execute(text("UPDATE batches SET remaining_ml = -1"))
    assert get_batch(database, CODE).remaining_ml == 1000


def test_a_failure_between_update_and_audit_insert_leaves_neither(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(database)

    def crash(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("power cut between the UPDATE and the audit insert")

    failure: type[Exception] = RuntimeError
    if database.kind == "sqlite":
        monkeypatch.setattr(AuditRepository, "append", crash)
    else:
        # PostgreSQL writes the audit event inside the change's one statement (a function):
        # the failure is made there, by a trigger refusing the audit insert.
        failure = DBAPIError
        with database.engine.begin() as connection:
            connection.execute(text(_PG_CRASH_ON_AUDIT_INSERT))
    with pytest.raises(failure, match="power cut"):
        consume(database, CODE, "10", actor=ANN)
    monkeypatch.undo()
    if database.kind != "sqlite":
        with database.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER crash_on_audit_insert ON audit_events"))
    batch = get_batch(database, CODE)
    assert (batch.remaining_ml, batch.version) == (1_000_000, 1)
    assert len(list_audit(database)) == 1


def test_migrations_create_exactly_what_the_models_describe(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_a_database_upgraded_by_a_newer_app_is_refused(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaTooNew, match="newer than this version"):
        open_database(database.engine.url.render_as_string(hide_password=False)).dispose()
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "9999_future"
        )


def test_upgrading_twice_is_harmless(database_url: str) -> None:
    open_database(database_url).dispose()
    open_database(database_url).dispose()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections but never answers, like a hung server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_an_unresponsive_server_is_reported_unavailable_within_seconds(silent_server: int) -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable, match="Database unavailable"):
        open_database(f"postgresql://dairy@127.0.0.1:{silent_server}/dairy")
    assert time.monotonic() - started < 15


def test_a_refused_connection_is_reported_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DatabaseUnavailable, match=r"Connection refused|could not connect"):
        open_database(f"postgresql://dairy@127.0.0.1:{port}/dairy")


def test_every_use_case_reports_an_unreachable_server_as_unavailable() -> None:
    from dairy_desktop.services.queries import list_batches

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = open_database(f"postgresql://dairy@127.0.0.1:{port}/dairy", upgrade=False)
    with pytest.raises(DatabaseUnavailable, match="Database unavailable"):
        list_batches(gone)
