"""The window shows statuses by the database server's clock, and says when this PC's is off.

The PC's clock is the one the services are given (AppSession.clock): here it is set two
hours behind. PostgreSQL has a clock of its own, which decides; SQLite has none (the PC is
the server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.ui.conftest import OPERATOR

CODE = "SCH-20251204-0001"
BEHIND = timedelta(hours=2)


class ShiftedClock:
    """This PC's clock, set `shift` away from the true time (and movable by the test)."""

    def __init__(self, shift: timedelta) -> None:
        self.shift = shift

    def __call__(self) -> datetime:
        return utc_now() + self.shift


@pytest.fixture
def pc_clock() -> ShiftedClock:
    return ShiftedClock(-BEHIND)


@pytest.fixture
def skewed_window(  # type: ignore[no-untyped-def]
    qtbot, database_url: str, runner: TaskRunner, pc_clock: ShiftedClock
) -> Iterator[MainWindow]:
    def open_session(url: str, actor: Actor) -> AppSession:
        return AppSession.open(url, actor, clock=pc_clock)

    main = MainWindow(database_url, OPERATOR, runner, open_session=open_session)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    if main.session is not None:
        main.session.close()


def _expired_an_hour_ago(other_pc: AppSession) -> None:
    other_pc.measure_clock_offset()  # other_pc's clock is right; this is the server's time
    other_pc.register(
        code=CODE,
        liters="10",
        shelf_life_days=1,
        received_at=other_pc.now() - timedelta(hours=25),
        fat_percent=None,
    )


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_pc_two_hours_behind_shows_an_expired_batch_as_expired_and_says_why(
    skewed_window: MainWindow, other_pc: AppSession
) -> None:
    _expired_an_hour_ago(other_pc)
    skewed_window.start()
    row = skewed_window.find_row(CODE)
    assert row is not None
    # By this PC's clock the batch still has an hour left; the server's says it is gone.
    assert row.status is BatchStatus.EXPIRED
    warning = skewed_window.clock_warning
    assert warning.isVisible()
    assert "clock is 2 h 0 min behind the database server" in warning.text()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_warning_goes_once_the_pc_clock_is_put_right(
    skewed_window: MainWindow, pc_clock: ShiftedClock
) -> None:
    skewed_window.start()
    assert skewed_window.clock_warning.isVisible()
    pc_clock.shift = timedelta(0)  # the operator fixes the clock; the next poll measures it
    skewed_window.poll()
    assert not skewed_window.clock_warning.isVisible()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_pc_ahead_is_told_so_too(skewed_window: MainWindow, pc_clock: ShiftedClock) -> None:
    pc_clock.shift = timedelta(minutes=5)
    skewed_window.start()
    assert "clock is 5 min ahead of the database server" in skewed_window.clock_warning.text()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_the_pc_is_the_server_and_nothing_is_said(
    skewed_window: MainWindow, other_pc: AppSession
) -> None:
    _expired_an_hour_ago(other_pc)
    skewed_window.start()
    row = skewed_window.find_row(CODE)
    assert row is not None
    assert row.status is not BatchStatus.EXPIRED  # by the PC's clock: an hour left
    assert not skewed_window.clock_warning.isVisible()
    assert skewed_window.clock_warning.text() == ""
