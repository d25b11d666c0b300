"""UI fixtures: a synchronous task runner and a main window on a fresh database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner

OPERATOR = Actor(operator="maria", workstation="OFFICE-PC-1")
OTHER_PC = Actor(operator="jonas", workstation="OFFICE-PC-2")


@pytest.fixture
def runner() -> TaskRunner:
    return TaskRunner(synchronous=True)


@pytest.fixture
def session(database: Database) -> AppSession:
    return AppSession(database, OPERATOR)


@pytest.fixture
def other_pc(database_url: str) -> Iterator[AppSession]:
    """A second, independent session: its own engine and connections, like another PC."""
    other = AppSession.open(database_url, OTHER_PC)
    yield other
    other.close()


@pytest.fixture
def window(qtbot, database_url: str, runner: TaskRunner) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    main = MainWindow(database_url, OPERATOR, runner)
    qtbot.addWidget(main)
    main.show()
    main.start()
    yield main
    main.close()
    if main.session is not None:
        main.session.close()
