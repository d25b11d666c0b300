"""Several PCs on one PostgreSQL: a change on one shows on the others within a second."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.main.batch_table_model import COL_REMAINING
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.support.postgres_server import PostgresServer
from tests.ui.conftest import OPERATOR, OTHER_PC

pytestmark = pytest.mark.postgres
CODE = "SCH-20251204-0001"


@pytest.fixture
def pg_url(postgres_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url = postgres_factory.new_url()
    yield url
    postgres_factory.drop(url)


@pytest.fixture
def live_window(qtbot, pg_url: str) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    runner = TaskRunner()  # real threads, as on an office PC
    window = MainWindow(pg_url, OPERATOR, runner)
    window.controller.poll_timer.setInterval(60_000)  # prove the push, not the periodic check
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(window.is_live, timeout=10_000)
    yield window
    window.close()
    runner.wait_for_done()
    if window.session is not None:
        window.session.close()


def _remaining(window: MainWindow) -> str | None:
    row = window.model.row_of(CODE)
    return None if row is None else window.model.data(window.model.index(row, COL_REMAINING))


def test_a_consume_on_another_pc_shows_within_a_second(
    qtbot,
    live_window: MainWindow,  # type: ignore[no-untyped-def]
    pg_url: str,
) -> None:
    other = AppSession.open(pg_url, OTHER_PC)
    register(other.database, liters="300")
    qtbot.waitUntil(lambda: _remaining(live_window) == "300.000", timeout=1_000)
    started = time.monotonic()
    other.consume(CODE, "25", order_id=None, expected_version=None)
    qtbot.waitUntil(lambda: _remaining(live_window) == "275.000", timeout=1_000)
    assert time.monotonic() - started < 1.0
    assert live_window.model.rowCount() == 1
    other.close()


def test_an_open_consume_dialog_learns_it_is_out_of_date(
    qtbot,
    live_window: MainWindow,  # type: ignore[no-untyped-def]
    pg_url: str,
) -> None:
    other = AppSession.open(pg_url, OTHER_PC)
    register(other.database, liters="300")
    qtbot.waitUntil(lambda: live_window.model.row_of(CODE) is not None, timeout=1_000)
    assert live_window.session is not None
    dialog = ConsumeDialog(
        live_window.session.batch(CODE), live_window.session, live_window.runner, live_window
    )
    qtbot.addWidget(dialog)
    other.consume(CODE, "25", order_id=None, expected_version=None)
    qtbot.waitUntil(lambda: not dialog.stale_note.isHidden(), timeout=1_000)
    assert "jonas" in dialog.stale_note.text()
    assert "version 2" in dialog.stale_note.text()
    other.close()


def test_the_listener_survives_a_server_restart_and_catches_up(  # type: ignore[no-untyped-def]
    qtbot, live_window: MainWindow, pg_url: str, postgres_server: PostgresServer
) -> None:
    other = AppSession.open(pg_url, OTHER_PC)
    register(other.database, liters="300")
    qtbot.waitUntil(lambda: _remaining(live_window) == "300.000", timeout=1_000)
    postgres_server.stop()
    try:
        qtbot.waitUntil(lambda: not live_window.is_live(), timeout=15_000)
        assert "NOT live" in live_window.connection.text()
    finally:
        postgres_server.start()
    other.consume(CODE, "50", order_id=None, expected_version=None)
    qtbot.waitUntil(live_window.is_live, timeout=15_000)
    qtbot.waitUntil(lambda: _remaining(live_window) == "250.000", timeout=5_000)
    other.close()


def test_closing_a_live_window_does_not_wait_for_the_listener(qtbot, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(pg_url, OPERATOR, TaskRunner(synchronous=True))
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(window.is_live, timeout=10_000)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 1.0
    assert window.session is None  # closing let go of the database as well
