"""Bounded waits on PostgreSQL, through a TCP proxy that goes silent: the stalled client and
another PC consuming the same batch both get an answer within 15 s, and a row lock held by a
client that vanished mid-transaction is released by the server within 15 s."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.queries import get_batch
from tests.e2e.cli_runner import run_process
from tests.integration.helpers import ANN, BOB, register
from tests.support.databases import PostgresFactory, open_test_database
from tests.support.tcp_proxy import TcpProxy

# Each test waits out a timeout on purpose (4-15 s): the slow stage runs them.
pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CODE = "SCH-20251204-0001"
ANSWER_WITHIN_S = 15


@pytest.fixture
def postgres_url(postgres_factory: PostgresFactory) -> Iterator[str]:
    url = postgres_factory.new_url()
    yield url
    postgres_factory.drop(url)


def _port(url: str) -> int:
    return int(url.split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])


class Timed(threading.Thread):
    """Runs `work` in the background and keeps what it returned or raised, and when."""

    def __init__(self, work: object) -> None:
        super().__init__(daemon=True)
        self._work = work
        self.outcome: object = None
        self.seconds = float("inf")
        self.finished_at = float("inf")

    def run(self) -> None:
        started = time.monotonic()
        try:
            self.outcome = self._work()  # type: ignore[operator]
        except BaseException as error:  # kept for the assertion, whatever it is
            self.outcome = error
        self.finished_at = time.monotonic()
        self.seconds = self.finished_at - started


def test_a_silent_network_after_the_change_is_sent_gets_an_answer_and_so_does_another_pc(
    postgres_url: str,
) -> None:
    setup = open_test_database(postgres_url)
    register(setup, CODE, "10")
    with TcpProxy(_port(postgres_url), silent_after_text=b"dairy_change", lifetime_s=40) as proxy:
        stalled_db = open_test_database(proxy.url_for(postgres_url))
        stalled = Timed(lambda: consume(stalled_db, CODE, "4", actor=ANN.for_action()))
        stalled.start()
        assert proxy.fired.wait(10), "the change never went through the proxy"
        other = Timed(lambda: consume(setup, CODE, "4", actor=BOB.for_action()))
        other.start()
        other.join(ANSWER_WITHIN_S)
        stalled.join(ANSWER_WITHIN_S)
        stalled_db.dispose()
    assert other.seconds < ANSWER_WITHIN_S
    assert not isinstance(other.outcome, BaseException), other.outcome
    assert stalled.seconds < ANSWER_WITHIN_S
    # Its reply was lost: the app gave up on the silent connection and said so (what became
    # of the change is for the exactly-once outcome to find out: it landed, once).
    assert isinstance(stalled.outcome, DatabaseUnavailable), stalled.outcome
    assert get_batch(setup, CODE).remaining_liters == Decimal("2.000")
    consumes = [e for e in list_audit(setup) if e.action is AuditAction.CONSUME]
    assert len(consumes) == 2
    setup.dispose()


def test_a_lock_held_by_a_vanished_client_is_released_by_the_server(postgres_url: str) -> None:
    setup = open_test_database(postgres_url)
    register(setup, CODE, "10")
    with TcpProxy(_port(postgres_url), silent_after_text=b"FOR UPDATE", lifetime_s=40) as proxy:
        vanished_db = open_test_database(proxy.url_for(postgres_url))

        def hold_the_row_lock() -> object:
            with vanished_db.engine.connect() as connection:
                connection.exec_driver_sql("BEGIN")
                return connection.exec_driver_sql(
                    f"SELECT version FROM batches WHERE code = '{CODE}' FOR UPDATE"
                ).all()

        vanished = Timed(hold_the_row_lock)
        vanished.start()
        assert proxy.fired.wait(10), "the lock was never taken through the proxy"
        time.sleep(0.3)  # the server has run the SELECT: the row is locked now
        other = Timed(lambda: consume(setup, CODE, "4", actor=BOB.for_action()))
        other.start()
        other.join(ANSWER_WITHIN_S)
        vanished.join(ANSWER_WITHIN_S)
        vanished_db.dispose()
    assert other.seconds < ANSWER_WITHIN_S
    assert not isinstance(other.outcome, BaseException), other.outcome
    assert get_batch(setup, CODE).remaining_liters == Decimal("6.000")
    assert vanished.seconds < ANSWER_WITHIN_S
    # Its server session was ended by the server: the client hears of it, in time.
    assert isinstance(vanished.outcome, Exception), vanished.outcome
    setup.dispose()


def test_a_server_silent_from_the_first_byte_gives_exit_6_within_15_s(postgres_url: str) -> None:
    with TcpProxy(_port(postgres_url), silent_after_bytes=0, lifetime_s=30) as proxy:
        started = time.monotonic()
        done = run_process(proxy.url_for(postgres_url), "batches", "list")
        seconds = time.monotonic() - started
    assert done.returncode == 6, done.stderr
    assert seconds < ANSWER_WITHIN_S
    assert len(done.stderr.decode().strip().splitlines()) == 1


def test_the_limits_are_settings(monkeypatch: pytest.MonkeyPatch, postgres_url: str) -> None:
    monkeypatch.setenv("DAIRY_DESKTOP_LOCK_TIMEOUT_S", "2.5")
    database: Database = open_test_database(postgres_url)
    with database.engine.connect() as connection:
        shown = [
            connection.exec_driver_sql(f"SHOW {name}").scalar()
            for name in ("statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout")
        ]
    database.dispose()
    assert shown == ["8s", "2500ms", "4s"]


def test_the_stalled_cli_and_another_pc_both_answer_within_15_s(postgres_url: str) -> None:
    setup = open_test_database(postgres_url)
    register(setup, CODE, "10")
    with TcpProxy(_port(postgres_url), silent_after_text=b"dairy_change", lifetime_s=40) as proxy:
        stalled = Timed(
            lambda: run_process(
                proxy.url_for(postgres_url), "batches", "consume", CODE, "--liters", "4"
            )
        )
        stalled.start()
        assert proxy.fired.wait(15), "the change never went through the proxy"
        went_silent = time.monotonic()
        other = Timed(lambda: consume(setup, CODE, "4", actor=BOB.for_action()))
        other.start()
        other.join(ANSWER_WITHIN_S)
        stalled.join(ANSWER_WITHIN_S + 5)
    assert other.seconds < ANSWER_WITHIN_S
    assert not isinstance(other.outcome, BaseException), other.outcome
    # Timed from the moment its change went silent (start-up and schema check come first).
    assert stalled.finished_at - went_silent < ANSWER_WITHIN_S
    done = stalled.outcome
    assert isinstance(done, subprocess.CompletedProcess), done
    assert done.returncode == 0, done.stderr
    assert b"confirmed after the connection dropped" in done.stderr
    assert get_batch(setup, CODE).remaining_liters == Decimal("2.000")
    consumes = [e for e in list_audit(setup) if e.action is AuditAction.CONSUME]
    assert len(consumes) == 2
    setup.dispose()
