"""The window checks the audit trail in the background (shortly after the first listing,
then daily) and warns, in a banner and the status bar, when the record has been tampered
with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.services.audit_verify import AuditVerification
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.audit_watch import DAY_MS, AuditWatch
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.support.tamper import tampering
from tests.ui.conftest import OPERATOR

CODE = "SCH-20251204-0001"


@pytest.fixture
def quiet_window(qtbot: QtBot, database_url: str, runner: TaskRunner) -> Iterator[MainWindow]:
    """A window whose first check is left to the test to start."""
    main = MainWindow(database_url, OPERATOR, runner)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
    if main.session is not None:
        main.session.close()


def _stored(window: MainWindow) -> Database:
    assert window.session is not None
    assert isinstance(window.session.database, Database)
    return window.session.database


def _seeded(window: MainWindow) -> Database:
    """Started with one batch, consumed once, on screen; no check run yet."""
    window.start()
    database = _stored(window)
    register(database, liters="10")
    assert window.session is not None
    window.session.consume(CODE, "4", order_id=None, expected_version=None)
    window.reload()
    return database


def test_the_first_check_comes_shortly_after_the_first_listing_then_daily(
    quiet_window: MainWindow,
) -> None:
    watch = quiet_window.audit_watch
    assert not watch.first_check.isActive()  # nothing before the window has its listing
    quiet_window.start()
    assert watch.first_check.isActive()
    assert watch.first_check.interval() <= 60_000
    assert watch.daily_check.isActive()
    assert watch.daily_check.interval() == DAY_MS


def test_a_record_changed_behind_the_apps_back_raises_the_warning(
    qtbot: QtBot, quiet_window: MainWindow
) -> None:
    database = _seeded(quiet_window)
    with tampering(database) as connection:  # litres back without any audit event
        connection.execute(
            text("UPDATE batches SET remaining_ml = initial_ml WHERE code = :code"), {"code": CODE}
        )
    quiet_window.audit_watch.first_check.setInterval(0)
    quiet_window.audit_watch.connected()  # as after connecting: due after the next listing
    quiet_window.reload()
    qtbot.waitUntil(quiet_window.audit_banner.isVisible, timeout=5_000)
    banner = quiet_window.audit_banner.message()
    assert "does not prove the stock shown" in banner
    assert CODE in banner
    assert "dairy-desktop audit verify" in banner
    assert quiet_window.audit_warning.isVisible()
    assert quiet_window.audit_warning.text() == "Audit check FAILED"
    assert not quiet_window.banner.isVisible()  # the outage banner is another matter


def test_an_edited_audit_event_raises_the_warning(quiet_window: MainWindow) -> None:
    database = _seeded(quiet_window)
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE audit_events SET liters_ml = 1000 WHERE action = 'consume'")
        )
    quiet_window.audit_watch.check_now()
    assert quiet_window.audit_banner.isVisible()
    assert "first broken event" in quiet_window.audit_banner.message()
    assert quiet_window.audit_warning.isVisible()


def test_an_untouched_record_raises_nothing(quiet_window: MainWindow) -> None:
    _seeded(quiet_window)
    quiet_window.audit_watch.check_now()
    last = quiet_window.audit_watch.last
    assert last is not None
    assert last.ok
    assert last.events == 2
    assert not quiet_window.audit_banner.isVisible()
    assert not quiet_window.audit_warning.isVisible()


def test_a_later_pass_takes_the_warning_down(qtbot: QtBot, quiet_window: MainWindow) -> None:
    database = _seeded(quiet_window)
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE batches SET remaining_ml = initial_ml WHERE code = :code"), {"code": CODE}
        )
    quiet_window.audit_watch.check_now()
    assert quiet_window.audit_banner.isVisible()
    with tampering(database) as connection:  # an administrator puts the row right
        connection.execute(
            text("UPDATE batches SET remaining_ml = 6000 WHERE code = :code"), {"code": CODE}
        )
    quiet_window.audit_watch.check_now()
    assert not quiet_window.audit_banner.isVisible()
    assert not quiet_window.audit_warning.isVisible()


@dataclass
class _Unreachable(AppSession):
    attempts: int = 0

    def verify_audit(self) -> AuditVerification:
        self.attempts += 1
        raise DatabaseUnavailable("Database unavailable (postgresql): connection refused.")


def test_a_check_that_cannot_reach_the_database_is_not_a_finding(
    qtbot: QtBot, database: Database, runner: TaskRunner
) -> None:
    session = _Unreachable(database, OPERATOR)
    failures: list[str] = []
    watch = AuditWatch(lambda: session, lambda: runner)
    watch.failed.connect(failures.append)
    watch.check_now()
    assert session.attempts == 1  # the check ran, and its error was not a finding
    assert failures == []
    assert watch.last is None
    watch.check_now()  # and the next check is not blocked by the one that failed
    assert session.attempts == 2
    assert failures == []
