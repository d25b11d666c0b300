"""The plant settings the lifecycle added: QA release required, the required tests, the receipt
temperature limit (in the PC's number format) and the supplier list; on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dairy_desktop.config.local_settings import DATABASE_URL_ENV
from dairy_desktop.db.database import Database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.support.locales import default_locale


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    return tmp_path / "home"


@pytest.fixture
def de_de() -> Iterator[None]:
    yield from default_locale("de_DE")


@pytest.fixture
def session(database: Database) -> AppSession:
    return AppSession(database, Actor("ann", "PC-1"))


@pytest.fixture
def dialog(qtbot: QtBot, session: AppSession) -> SettingsDialog:
    shown = SettingsDialog(session, TaskRunner(synchronous=True))
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _error(dialog: SettingsDialog, field: str) -> str:
    label = dialog.error_labels[field]
    return label.text() if not label.isHidden() else ""


def test_the_stored_lifecycle_settings_are_shown(qtbot: QtBot, session: AppSession) -> None:
    stored = replace(
        session.plant_settings(),
        qa_release_required=False,
        qa_required_tests="beta-lactam,aflatoxin-m1",
        temperature_limit_deci=60,
        suppliers="Hof Schmidt\nMolkerei Nord",
    )
    session.update_plant_settings(stored)
    shown = SettingsDialog(session, TaskRunner(synchronous=True))
    qtbot.addWidget(shown)
    assert not shown.qa_required_check.isChecked()
    assert shown.required_tests_edit.text() == "beta-lactam, aflatoxin-m1"
    assert shown.temperature_limit_edit.text() == "6.0"
    assert shown.suppliers_edit.toPlainText() == "Hof Schmidt\nMolkerei Nord"


def test_changes_typed_in_de_de_are_saved_for_every_pc(
    qtbot: QtBot, de_de: None, dialog: SettingsDialog, session: AppSession
) -> None:
    assert dialog.temperature_limit_edit.text() == "7,0"  # the PC's format, as read back
    dialog.qa_required_check.setChecked(False)
    dialog.required_tests_edit.setText("Beta Lactam, aflatoxin-m1")
    dialog.temperature_limit_edit.setText("6,5")
    dialog.suppliers_edit.setPlainText("  Hof Schmidt \n\nMolkerei Nord\n")
    qtbot.keyClick(dialog.temperature_limit_edit, Qt.Key.Key_Return)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    saved = session.plant_settings()
    assert (
        saved.qa_release_required,
        saved.qa_required_tests,
        saved.temperature_limit_deci,
        saved.supplier_list,
    ) == (False, "beta-lactam,aflatoxin-m1", 65, ("Hof Schmidt", "Molkerei Nord"))


def test_saving_other_settings_keeps_the_lifecycle_ones(qtbot: QtBot, session: AppSession) -> None:
    session.update_plant_settings(
        replace(session.plant_settings(), qa_release_required=False, suppliers="Hof Schmidt")
    )
    shown = SettingsDialog(session, TaskRunner(synchronous=True))
    qtbot.addWidget(shown)
    shown.plant_name_edit.setText("Riverside Dairy")
    shown.accept()
    saved = session.plant_settings()
    assert (saved.plant_name, saved.qa_release_required, saved.suppliers) == (
        "Riverside Dairy",
        False,
        "Hof Schmidt",
    )


@pytest.mark.parametrize(
    ("field", "typed", "why"),
    [
        ("temperature_limit", "7.5", "the decimal point is ','"),
        ("temperature_limit", "41", "between -5.0 and 40.0"),
        ("temperature_limit", "", "temperature limit is missing"),
        ("qa_required_tests", "", "At least one required test"),
        ("qa_required_tests", "beta lactam!", "not usable"),
        ("suppliers", "x" * 129, "too long"),
    ],
)
def test_an_invalid_lifecycle_setting_is_refused_beside_its_field_and_nothing_saved(
    qtbot: QtBot,
    de_de: None,
    dialog: SettingsDialog,
    session: AppSession,
    field: str,
    typed: str,
    why: str,
) -> None:
    before = session.plant_settings()
    editors = {
        "temperature_limit": dialog.temperature_limit_edit.setText,
        "qa_required_tests": dialog.required_tests_edit.setText,
        "suppliers": dialog.suppliers_edit.setPlainText,
    }
    editors[field](typed)
    dialog.accept()
    assert why in _error(dialog, field)
    assert dialog.result() == 0
    assert session.plant_settings() == before


def test_every_plant_field_is_reached_by_its_alt_letter(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    fields = {
        Qt.Key.Key_N: dialog.plant_name_edit,
        Qt.Key.Key_A: dialog.pattern_edit,
        Qt.Key.Key_Z: dialog.time_zone_combo,
        Qt.Key.Key_G: dialog.required_tests_edit,
        Qt.Key.Key_L: dialog.temperature_limit_edit,
        Qt.Key.Key_I: dialog.suppliers_edit,
        Qt.Key.Key_M: dialog.operator_edit,
    }
    for key, field in fields.items():
        QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        assert QApplication.focusWidget() is field, key
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not dialog.qa_required_check.isChecked())  # it clicks after a flash
