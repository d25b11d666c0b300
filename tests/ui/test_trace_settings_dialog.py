"""The Settings dialog's product description (the recall list's "Product description")."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
from dairy_desktop.ui.tasks import TaskRunner


@pytest.fixture
def dialog(qtbot: QtBot, session: AppSession) -> SettingsDialog:
    shown = SettingsDialog(session, TaskRunner(synchronous=True))
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_the_stored_description_is_shown_and_a_new_one_saved(
    qtbot: QtBot, session: AppSession
) -> None:
    session.update_plant_settings(
        replace(session.plant_settings(), product_description="raw goat milk")
    )
    shown = SettingsDialog(session, TaskRunner(synchronous=True))
    qtbot.addWidget(shown)
    assert shown.product_edit.text() == "raw goat milk"
    shown.product_edit.setText("  raw cow's milk, organic ")
    shown.accept()
    assert shown.result() == SettingsDialog.DialogCode.Accepted
    assert session.plant_settings().product_description == "raw cow's milk, organic"


def test_a_new_database_names_raw_milk(dialog: SettingsDialog) -> None:
    assert dialog.product_edit.text() == "raw milk"


def test_a_blank_description_is_refused_beside_its_field_and_nothing_saved(
    dialog: SettingsDialog, session: AppSession
) -> None:
    before = session.plant_settings()
    dialog.product_edit.setText("   ")
    dialog.accept()
    label = dialog.error_labels["product_description"]
    assert not label.isHidden()
    assert "Product description is missing" in label.text()
    assert dialog.result() == 0
    assert session.plant_settings() == before
    assert QApplication.focusWidget() is dialog.product_edit


def test_alt_h_reaches_the_description(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.plant_name_edit.setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.product_edit
