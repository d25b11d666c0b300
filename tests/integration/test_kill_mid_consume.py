"""A PC that dies in the middle of a consume (power cut, task manager, SIGKILL) leaves either
the whole change with its audit event, or nothing at all — on both databases.

"In the middle" is made real: the consume runs in a spawned child process with a pause
injected at one point of the transaction (the child tells the parent through a pipe that it
has got there, then sleeps), and the parent kills it with SIGKILL right then:

- after the guarded UPDATE, before the audit INSERT;
- after the audit INSERT, before COMMIT;
- just after COMMIT.

On PostgreSQL a change is one statement, so the first two points are inside the server: a
trigger on the audit insert (before it, or after it) sleeps, the parent sees the child's
session waiting there, and kills the child. The server notices the client gone (the
database is set to check every 100 ms, as a plant would) and rolls the statement back.

The first two must leave the batch and the audit trail exactly as before (and the dead
transaction's locks released: the next consume goes through); the last must leave both the
new remaining volume and its one audit event.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.db.repositories import AuditRepository
from dairy_desktop.db.unit_of_work import UnitOfWork
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import BOB, register

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals only")

LITERS, MILLILITERS = "12.345", 12_345
ROUNDS = 3
PAUSE_TIMEOUT_S = 60.0  # a cold interpreter importing SQLAlchemy on a busy two-core machine
DOOMED = Actor(operator="doomed", workstation="PC-KILLED")

# kill point -> whether the consume must have happened
KILL_POINTS = {"after_update": False, "before_commit": False, "after_commit": True}


def _pause_here(pipe: Connection) -> None:
    pipe.send(os.getpid())
    time.sleep(PAUSE_TIMEOUT_S)  # the parent kills us long before this returns


# The pause inside PostgreSQL's one-statement change, for the doomed PC's events only.
_PG_PAUSE = """
CREATE OR REPLACE FUNCTION doomed_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.operator = 'doomed' THEN
        PERFORM pg_sleep(60);
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS doomed_pause ON audit_events;
CREATE TRIGGER doomed_pause {when} INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION doomed_pause();
"""
SERVER_POINTS = {"after_update": "BEFORE", "before_commit": "AFTER"}


def _pauses_in_the_server(url: str, point: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql" and point in SERVER_POINTS


def _install_server_pause(url: str, point: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(_PG_PAUSE.format(when=SERVER_POINTS[point])))
            name = make_url(url).database
            connection.execute(
                text(f'ALTER DATABASE "{name}" SET client_connection_check_interval = 100')
            )
    finally:
        engine.dispose()


def _wait_for_server_pause(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + PAUSE_TIMEOUT_S
    try:
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                sleeping = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event = 'PgSleep'"
                    )
                ).scalar_one()
                if sleeping:
                    return
                time.sleep(0.05)
    finally:
        engine.dispose()
    raise AssertionError("the child's change never reached the pause in the server")


def _inject_pause(point: str, pipe: Connection) -> None:
    """Monkeypatch (in this child only) the one place where the pause goes."""
    if point == "after_update":
        append = AuditRepository.append

        def append_after_pause(self: AuditRepository, *args: Any, **kwargs: Any) -> Any:
            _pause_here(pipe)
            return append(self, *args, **kwargs)

        AuditRepository.append = append_after_pause  # type: ignore[method-assign]
        return
    commit = UnitOfWork.commit

    def commit_with_pause(self: UnitOfWork) -> None:
        if point == "before_commit":
            _pause_here(pipe)
        commit(self)
        if point == "after_commit":
            _pause_here(pipe)

    UnitOfWork.commit = commit_with_pause  # type: ignore[method-assign]


def consume_until_killed(url: str, code: str, version: int, point: str, pipe: Connection) -> None:
    """Child process: one versioned consume, paused at `point` until the parent kills it."""
    if not _pauses_in_the_server(url, point):
        _inject_pause(point, pipe)
    database = open_database(url, upgrade=False)
    consume(database, code, LITERS, actor=DOOMED, expected_version=version)
    pipe.send("finished without being killed")


def _write_is_pending(url: str, code: str) -> bool:
    """True while another connection holds an uncommitted change to the batch: the row lock
    (PostgreSQL) or the database's write lock (SQLite). Never waits for it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        probe = sqlite3.connect(str(parsed.database), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        finally:
            probe.close()
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(
                text("SELECT 1 FROM batches WHERE code = :code FOR UPDATE NOWAIT"), {"code": code}
            )
    except OperationalError as error:
        return "could not obtain lock" in str(error)
    finally:
        engine.dispose()
    return False


def _kill_at(url: str, code: str, version: int, point: str) -> None:
    in_server = _pauses_in_the_server(url, point)
    if in_server:
        _install_server_pause(url, point)
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=consume_until_killed, args=(url, code, version, point, writer))
    child.start()
    writer.close()
    try:
        if in_server:
            _wait_for_server_pause(url)
            pid = child.pid
        else:
            assert reader.poll(PAUSE_TIMEOUT_S), f"the child never reached {point}"
            pid = reader.recv()
            assert pid == child.pid
        # The pause is inside the transaction (its UPDATE holds the lock) or after its commit.
        assert _write_is_pending(url, code) is not KILL_POINTS[point]
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        child.join(10)
        assert child.exitcode == -signal.SIGKILL
        if in_server:
            _wait_until_rolled_back(url)
    finally:
        if child.is_alive():
            child.kill()
            child.join(10)
        if in_server:
            _remove_server_pause(url)


def _wait_until_rolled_back(url: str) -> None:
    """The server ends the dead client's session within its check interval."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 10
    try:
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                left = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event = 'PgSleep'"
                    )
                ).scalar_one()
                if not left:
                    return
                time.sleep(0.05)
    finally:
        engine.dispose()
    raise AssertionError("the server kept running the dead client's change")


def _remove_server_pause(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS doomed_pause ON audit_events"))
    finally:
        engine.dispose()


def _consumes(database: Database, code: str) -> list[AuditEvent]:
    events = list_audit(database, AuditFilter(batch_code=code))
    return [e for e in events if e.action == AuditAction.CONSUME]


def _assert_nothing_happened(database: Database, before: Batch, events_before: int) -> None:
    after = get_batch(database, before.code)
    assert (after.remaining_ml, after.version) == (before.remaining_ml, before.version)
    assert len(_consumes(database, before.code)) == events_before
    # The dead transaction let go of the row (PostgreSQL) or the write lock (SQLite): the
    # same versioned consume from another PC goes through now, at the version it would have.
    done = consume(database, before.code, "0.001", actor=BOB, expected_version=before.version)
    assert done.version == before.version + 1


def _assert_all_happened(database: Database, before: Batch, events_before: int) -> None:
    after = get_batch(database, before.code)
    assert after.remaining_ml == before.remaining_ml - MILLILITERS
    assert after.version == before.version + 1
    events = _consumes(database, before.code)
    assert len(events) == events_before + 1
    last = events[-1]
    assert (last.liters_ml, last.operator, last.workstation) == (MILLILITERS, "doomed", "PC-KILLED")
    assert (last.remaining_after_ml, last.version_after) == (after.remaining_ml, after.version)


@pytest.mark.slow
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_client_killed_mid_consume_leaves_all_or_nothing(
    database_url: str, database: Database, point: str
) -> None:
    register(database, liters="1000")
    check: Callable[[Database, Batch, int], None] = (
        _assert_all_happened if KILL_POINTS[point] else _assert_nothing_happened
    )
    for _ in range(ROUNDS):
        before = get_batch(database, "SCH-20251204-0001")
        events_before = len(_consumes(database, before.code))

        _kill_at(database_url, before.code, before.version, point)

        check(database, before, events_before)
