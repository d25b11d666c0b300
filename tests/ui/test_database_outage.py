"""The window never freezes: unreachable at start and mid-session, then recovers by itself."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.support.postgres_server import PostgresServer
from tests.ui.conftest import OPERATOR

pytestmark = pytest.mark.postgres
CODE = "SCH-20251204-0001"


@pytest.fixture
def server(postgres_server: PostgresServer | None) -> Iterator[PostgresServer]:
    if postgres_server is None:
        pytest.skip("needs the suite's own PostgreSQL server (DAIRY_TEST_POSTGRES_URL is set)")
    yield postgres_server
    if not _listening(postgres_server.port):  # a failed test must not leave it stopped
        postgres_server.start()


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def pg_url(postgres_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url = postgres_factory.new_url()
    yield url
    postgres_factory.drop(url)


def test_unreachable_at_start_shows_window_and_banner_quickly_then_recovers(
    qtbot,
    server: PostgresServer,
    pg_url: str,  # type: ignore[no-untyped-def]
) -> None:
    seed = AppSession.open(pg_url, OPERATOR)
    register(seed.database)
    seed.close()
    server.stop()
    runner = TaskRunner()  # real threads: the window must not wait for the database
    started = time.monotonic()
    window = MainWindow(pg_url, OPERATOR, runner)
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert time.monotonic() - started < 1.0  # shown without waiting for the server
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5_000)
    assert "Database unavailable" in window.banner.message()
    assert not window.act_register.isEnabled()
    server.start()
    with qtbot.waitSignal(window.loaded, timeout=15_000):
        pass  # the retry timer reconnects by itself
    assert not window.banner.isVisible()
    assert window.model.row_of(CODE) is not None
    window.close()
    runner.wait_for_done()
    if window.session:
        window.session.close()


def test_an_outage_mid_session_shows_the_banner_keeps_the_data_and_catches_up(
    qtbot,
    server: PostgresServer,
    pg_url: str,  # type: ignore[no-untyped-def]
) -> None:
    runner = TaskRunner(synchronous=True)
    window = MainWindow(pg_url, OPERATOR, runner)
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.session is not None
    register(window.session.database)
    window.reload()
    server.stop()
    window.poll()
    assert window.banner.isVisible()
    assert "Showing the data as of" in window.banner.message()
    assert window.model.row_of(CODE) is not None  # keeps working with what it has
    server.start()
    other = AppSession.open(pg_url, OPERATOR)
    other.consume(CODE, "5", order_id=None, expected_version=None)  # made during "the outage"
    window.poll()
    assert not window.banner.isVisible()
    row = window.model.row_of(CODE)
    assert row is not None
    assert window.model.batch_at(row).version == 2  # type: ignore[union-attr]
    other.close()
    window.close()
    assert window.session is None
