"""What the app says after a change's reply is lost, through a TCP proxy on 127.0.0.1:
landed (confirmed, recorded once), not landed (exit 6, nothing recorded), or cannot tell
(exit 7, outcome unknown). And a request id sent again records nothing twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import text

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.errors import DatabaseUnavailable, OutcomeUnknown
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.exactly_once import Outcome, exactly_once
from dairy_desktop.services.queries import get_batch
from tests.e2e.cli_runner import run_cli
from tests.integration.helpers import ANN, register
from tests.support.databases import PostgresFactory, open_test_database
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres

CODE = "SCH-20251204-0001"
# The PostgreSQL change is one statement that commits by itself: forwarding it is
# forwarding the COMMIT.
THE_CHANGE = b"dairy_change"


@pytest.fixture
def postgres_url(postgres_factory: PostgresFactory) -> Iterator[str]:
    url = postgres_factory.new_url()
    setup = open_test_database(url)
    register(setup, CODE, "10")
    setup.dispose()
    yield url
    postgres_factory.drop(url)


def _port(url: str) -> int:
    return int(url.split("@", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])


def _consumes(url: str) -> list[AuditEvent]:
    database = open_test_database(url)
    try:
        return [e for e in list_audit(database) if e.action is AuditAction.CONSUME]
    finally:
        database.dispose()


def _remaining(url: str) -> Decimal:
    database = open_test_database(url)
    try:
        return get_batch(database, CODE).remaining_liters
    finally:
        database.dispose()


def test_the_cli_reports_done_when_the_reply_to_the_commit_was_lost(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with TcpProxy(_port(postgres_url), drop_after_text=THE_CHANGE, lifetime_s=60) as proxy:
        url = proxy.url_for(postgres_url)
        done = run_cli(capsys, url, "batches", "consume", CODE, "--liters", "4", "--json")
        assert proxy.fired.is_set()
    assert done.code == 0, done.err
    assert "confirmed after the connection dropped" in done.err
    assert done.json()["remaining_liters"] == "6.000"
    assert "replayed" not in done.json()
    assert len(_consumes(postgres_url)) == 1
    assert _remaining(postgres_url) == Decimal("6.000")


def test_landed_confirmed_on_a_fresh_connection(postgres_url: str) -> None:
    with TcpProxy(_port(postgres_url), drop_after_text=THE_CHANGE, lifetime_s=60) as proxy:
        database = open_test_database(proxy.url_for(postgres_url))
        actor = ANN.for_action()
        assert actor.request_id is not None
        outcome = exactly_once(
            database,
            actor.request_id,
            lambda: consume_once(database, CODE, "4", actor=actor),
            correlation_id=actor.correlation_id,
        )
        database.dispose()
    assert outcome.confirmed_after_drop
    assert not outcome.changed.replayed
    assert outcome.changed.batch.remaining_liters == Decimal("6.000")
    assert "confirmed after the connection dropped" in outcome.notes()[0]
    assert len(_consumes(postgres_url)) == 1


def test_not_landed_says_nothing_was_recorded(postgres_url: str) -> None:
    with TcpProxy(_port(postgres_url), drop_before_text=THE_CHANGE, lifetime_s=60) as proxy:
        database = open_test_database(proxy.url_for(postgres_url))
        actor = ANN.for_action()
        assert actor.request_id is not None
        with pytest.raises(DatabaseUnavailable, match="nothing was recorded"):
            exactly_once(
                database,
                actor.request_id,
                lambda: consume_once(database, CODE, "4", actor=actor),
                correlation_id=actor.correlation_id,
            )
        database.dispose()
    assert _consumes(postgres_url) == []
    assert _remaining(postgres_url) == Decimal("10.000")


class _RowLock:
    """Another session holding the batch's row lock for `hold_s`, as another PC's change in
    progress would: a change sent meanwhile waits for it on the server."""

    def __init__(self, url: str, hold_s: float) -> None:
        self._database = open_test_database(url)
        self._hold_s = hold_s
        self._locked = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def __enter__(self) -> _RowLock:
        self._thread.start()
        assert self._locked.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._thread.join(self._hold_s + 10)
        self._database.dispose()

    def _hold(self) -> None:
        with self._database.engine.begin() as connection:
            connection.execute(
                text("SELECT 1 FROM batches WHERE code = :code FOR UPDATE"), {"code": CODE}
            )
            self._locked.set()
            threading.Event().wait(self._hold_s)


def _consume_through_a_dropped_connection(
    postgres_url: str, *, reconnect_for_s: float = 10
) -> Outcome:
    """Consume 4 L while the row is locked for 3 s (within lock_timeout); the connection
    drops right after the change was sent, so the server runs it on and commits it when the
    lock is freed."""
    with (
        TcpProxy(_port(postgres_url), drop_after_text=THE_CHANGE, lifetime_s=60) as proxy,
        _RowLock(postgres_url, hold_s=3),
    ):
        database = open_test_database(proxy.url_for(postgres_url))
        actor = ANN.for_action("held-1")
        try:
            return exactly_once(
                database,
                "held-1",
                lambda: consume_once(database, CODE, "4", actor=actor),
                correlation_id=actor.correlation_id,
                reconnect_for_s=reconnect_for_s,
                retry_every_s=0.5,
            )
        finally:
            assert proxy.fired.is_set()
            database.dispose()


def test_a_change_still_waiting_on_the_server_is_waited_for_not_reported_not_landed(
    postgres_url: str,
) -> None:
    outcome = _consume_through_a_dropped_connection(postgres_url)
    assert outcome.confirmed_after_drop
    assert outcome.changed.batch.remaining_liters == Decimal("6.000")
    assert [e.request_id for e in _consumes(postgres_url)] == ["held-1"]
    assert _remaining(postgres_url) == Decimal("6.000")


def test_a_change_still_waiting_when_the_app_stops_asking_is_outcome_unknown(
    postgres_url: str,
) -> None:
    with pytest.raises(OutcomeUnknown) as unknown:
        _consume_through_a_dropped_connection(postgres_url, reconnect_for_s=1.5)
    assert "was still running the change" in str(unknown.value)
    # It did land, once, after the app stopped asking: the audit command named says so.
    assert [e.request_id for e in _consumes(postgres_url)] == ["held-1"]
    assert _remaining(postgres_url) == Decimal("6.000")


def test_cannot_tell_is_outcome_unknown_naming_the_audit_command(postgres_url: str) -> None:
    proxy = TcpProxy(
        _port(postgres_url), drop_after_text=THE_CHANGE, refuse_after_fault=True, lifetime_s=60
    )
    with proxy:
        database = open_test_database(proxy.url_for(postgres_url))
        actor = ANN.for_action("nightly-42")
        with pytest.raises(OutcomeUnknown) as unknown:
            exactly_once(
                database,
                "nightly-42",
                lambda: consume_once(database, CODE, "4", actor=actor),
                correlation_id=actor.correlation_id,
                reconnect_for_s=2,
                retry_every_s=0.5,
            )
        database.dispose()
    assert unknown.value.exit_code == 7
    assert "check with `dairy-desktop audit --request-id nightly-42`" in str(unknown.value)
    # It had in fact landed, once: the audit command the message names says so.
    assert [e.request_id for e in _consumes(postgres_url)] == ["nightly-42"]


@pytest.mark.slow  # waits out the ~10 s of reconnecting on purpose
def test_the_cli_exits_7_when_the_server_cannot_be_reached_to_confirm(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with TcpProxy(
        _port(postgres_url), drop_after_text=THE_CHANGE, refuse_after_fault=True, lifetime_s=60
    ) as proxy:
        url = proxy.url_for(postgres_url)
        done = run_cli(
            capsys, url, "batches", "consume", CODE, "--liters", "4", "--request-id", "job-7"
        )
    assert done.code == 7, done.err
    assert done.err.strip().splitlines() == [
        "dairy-desktop: outcome unknown: the database could not be reached to confirm the "
        "change; check with `dairy-desktop audit --request-id job-7`"
    ]
    again = run_cli(capsys, postgres_url, "audit", "--request-id", "job-7", "--json")
    assert [e["action"] for e in again.json()] == ["consume"]
