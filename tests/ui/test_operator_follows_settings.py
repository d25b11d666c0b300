"""A new operator name saved in Settings is who the next change is recorded as."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.actor import Actor
from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register

CODE = "SCH-20251204-0001"


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This PC's settings file, for this test alone."""
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DAIRY_DESKTOP_OPERATOR", raising=False)
    return tmp_path


@contextmanager
def _window(qtbot, url: str, actor: Actor, runner: TaskRunner) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    main = MainWindow(url, actor, runner)
    qtbot.addWidget(main)
    main.show()
    main.start()
    qtbot.waitUntil(lambda: main.session is not None, timeout=10_000)
    try:
        yield main
    finally:
        main.close()


def _save_operator_in_settings(window: MainWindow, name: str) -> None:
    def fill_and_enter() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        try:
            dialog.operator_edit.setFocus()
            dialog.operator_edit.selectAll()
            QTest.keyClicks(dialog.operator_edit, name)
            QTest.keyClick(dialog.operator_edit, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill_and_enter)
    window.batch_actions.open_settings()


def _last_consume_operator(window: MainWindow) -> str:
    assert window.session is not None
    history = window.session.history(CODE)
    return next(e.operator for e in reversed(history) if e.action is AuditAction.CONSUME)


def test_the_saved_name_records_the_next_change_without_a_restart(
    qtbot,  # type: ignore[no-untyped-def]
    own_home: Path,
    database_url: str,
    runner: TaskRunner,
) -> None:
    with _window(qtbot, database_url, Actor(workstation="PC-1"), runner) as window:
        assert window.session is not None
        register(window.session.database, CODE, liters="80")
        _save_operator_in_settings(window, "joao")
        window.session.consume(CODE, "1", order_id=None, expected_version=1)

        assert _last_consume_operator(window) == "joao"


def test_a_name_given_with_operator_at_start_stays_in_force(
    qtbot,  # type: ignore[no-untyped-def]
    own_home: Path,
    database_url: str,
    runner: TaskRunner,
) -> None:
    with _window(qtbot, database_url, Actor("maria", "PC-1"), runner) as window:  # --operator
        assert window.session is not None
        register(window.session.database, CODE, liters="80")
        _save_operator_in_settings(window, "joao")
        window.session.consume(CODE, "1", order_id=None, expected_version=1)

        assert _last_consume_operator(window) == "maria"
