"""Changing the code pattern: how many stored codes would no longer match, said with example
codes (not regular expressions), counted on a worker thread that hands back plain values."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from dairy_desktop.config.local_settings import DATABASE_URL_ENV
from dairy_desktop.db.database import Database
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.settings_checks import (
    PatternFit,
    existing_pattern_fit,
    pattern_example,
    pattern_fit,
    pattern_warning,
)
from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register

TANKS = r"^TANK\d{3}$"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)


def test_every_misfit_is_counted_and_one_is_named() -> None:
    codes = ["TANK001", "SCH-20251204-0001", "HOF-20251204-0002"]
    assert pattern_fit(codes, TANKS) == PatternFit(3, 2, "HOF-20251204-0002")


def test_codes_that_all_fit_give_no_warning() -> None:
    fit = pattern_fit(["TANK001", "TANK002"], TANKS)
    assert (fit, pattern_warning(fit, TANKS)) == (PatternFit(2, 0, None), None)


def test_no_stored_codes_give_no_warning() -> None:
    assert pattern_warning(pattern_fit([], TANKS), TANKS) is None


def test_the_warning_counts_names_a_misfit_and_shows_a_new_code_not_the_expression() -> None:
    question = pattern_warning(PatternFit(14, 14, "SCH-20251204-0001"), TANKS)
    assert question is not None
    assert question.startswith(
        "14 of 14 existing batch codes do not match the new pattern, e.g. SCH-20251204-0001. "
        "New codes would look like TANK"
    )
    assert question.endswith("Save anyway?")
    assert TANKS not in question


def test_the_example_under_the_field_is_a_code_the_pattern_accepts() -> None:
    assert pattern_example(DEFAULT_CODE_PATTERN) == "Codes like SCH-20251204-0001 match."
    shown = pattern_example(TANKS)
    assert shown.startswith("Codes like TANK")
    code = shown.removeprefix("Codes like ").removesuffix(" match.")
    assert pattern_fit([code], TANKS).not_matching == 0


def test_stored_codes_are_counted_deleted_ones_too(database: Database) -> None:
    session = AppSession(database, Actor("ann", "PC-1"))
    register(database, "SCH-20251204-0001")
    register(database, "HOF-20251204-0002")
    session.delete("HOF-20251204-0002", "sour")
    assert existing_pattern_fit(session, TANKS) == PatternFit(2, 2, "HOF-20251204-0002")


LISTING_THREADS: list[str] = []


class _CountingSession(AppSession):
    """Notes the thread each listing is read on."""

    def listing(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        LISTING_THREADS.append(threading.current_thread().name)
        return super().listing()


@pytest.mark.parametrize("answer", ["save", "back"])
def test_with_a_real_worker_the_count_runs_off_the_gui_thread_and_the_answer_holds(
    qtbot: QtBot, database: Database, answer: str
) -> None:
    session = _CountingSession(database, Actor("ann", "PC-1"))
    LISTING_THREADS.clear()
    register(database, "SCH-20251204-0001")
    runner = TaskRunner()
    dialog = SettingsDialog(session, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.plant_fields.isEnabled(), timeout=5_000)
    dialog.pattern_edit.setText(TANKS)
    seen: list[str] = []

    def respond() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(5, respond)
            return
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_S if answer == "save" else Qt.Key.Key_Escape)

    QTimer.singleShot(0, respond)
    qtbot.keyClick(dialog.pattern_edit, Qt.Key.Key_Return)
    if answer == "save":
        qtbot.waitUntil(lambda: dialog.result() == 1, timeout=5_000)
    else:  # back to editing: OK is offered again once the save is called off
        qtbot.waitUntil(lambda: bool(seen) and dialog.ok_button.isEnabled(), timeout=5_000)
    runner.wait_for_done(5_000)
    assert seen[0].startswith("1 of 1 existing batch codes do not match")
    assert LISTING_THREADS
    assert threading.main_thread().name not in LISTING_THREADS
    stored = session.plant_settings().code_pattern
    assert stored == (TANKS if answer == "save" else DEFAULT_CODE_PATTERN)
    assert dialog.result() == (1 if answer == "save" else 0)
