"""The register dialog's intake: supplier from the plant's list or typed, tanker, seal, and the
receipt temperature read in the PC's number format, flagged above the plant's limit; on both
databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import NotFound
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.support.locales import default_locale
from tests.ui.conftest import OPERATOR
from tests.ui.mnemonics import mnemonics

CODE = "SCH-20261201-0007"
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PLANT = PlantSettings(
    time_zone="Europe/Berlin", suppliers="Hof Schmidt\nMolkerei Nord", temperature_limit_deci=60
)


@pytest.fixture
def clocked(database: Database) -> AppSession:
    return AppSession(database, OPERATOR, clock=lambda: NOW)


@pytest.fixture
def de_de() -> Iterator[None]:
    yield from default_locale("de_DE")


@pytest.fixture
def en_us() -> Iterator[None]:
    yield from default_locale("en_US")


@pytest.fixture
def dialog(qtbot: QtBot, clocked: AppSession, runner: TaskRunner) -> RegisterDialog:
    register = RegisterDialog(PLANT, clocked, runner)
    qtbot.addWidget(register)
    register.show()
    qtbot.waitExposed(register)
    register.code.setText(CODE)
    register.liters.setText("4200")
    return register


def test_the_supplier_list_comes_from_the_plant_settings_and_starts_blank(
    dialog: RegisterDialog,
) -> None:
    items = [dialog.supplier.itemText(i) for i in range(dialog.supplier.count())]
    assert items == ["Hof Schmidt", "Molkerei Nord"]
    assert dialog.supplier.currentText() == ""


def test_intake_typed_in_de_de_is_stored_with_the_batch(
    qtbot: QtBot, de_de: None, dialog: RegisterDialog, clocked: AppSession
) -> None:
    dialog.supplier.setCurrentIndex(1)
    qtbot.keyClicks(dialog.tanker, "TRL-4471")
    qtbot.keyClicks(dialog.seal, "0098812")
    qtbot.keyClicks(dialog.temperature, "4,5")
    assert dialog.temperature_reading.text() == "= 4,5 °C"
    assert dialog.warm_note.isHidden()
    qtbot.keyClick(dialog.temperature, Qt.Key.Key_Return)
    assert dialog.result() == RegisterDialog.DialogCode.Accepted
    batch = clocked.batch(CODE)
    assert (batch.supplier, batch.tanker, batch.seal, batch.temperature_deci) == (
        "Molkerei Nord",
        "TRL-4471",
        "0098812",
        45,
    )


def test_a_supplier_not_on_the_list_is_typed_in(
    qtbot: QtBot, dialog: RegisterDialog, clocked: AppSession
) -> None:
    qtbot.keyClicks(dialog.supplier, "Bauer Lindner")
    dialog.ok_button.click()
    assert clocked.batch(CODE).supplier == "Bauer Lindner"


def test_a_warm_load_is_flagged_in_place_and_still_registered_with_a_warning(
    qtbot: QtBot, en_us: None, dialog: RegisterDialog, clocked: AppSession
) -> None:
    qtbot.keyClicks(dialog.temperature, "8.2")
    assert not dialog.warm_note.isHidden()
    assert "Above the plant's limit of 6.0 °C" in dialog.warm_note.text()
    dialog.ok_button.click()
    assert dialog.result() == RegisterDialog.DialogCode.Accepted
    assert clocked.batch(CODE).temperature_deci == 82
    assert dialog.registration is not None
    assert any("above the plant's limit" in w for w in dialog.registration.warnings)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("4.5", "the decimal point is ','"),  # de-DE: '.' groups thousands
        ("4,55", "more than one decimal place"),
        ("41", "between -5.0 and 40.0"),
        ("-5,1", "between -5.0 and 40.0"),
        ("warm", "cannot be read"),
    ],
)
def test_an_unreadable_or_impossible_temperature_is_refused_beside_the_field(
    qtbot: QtBot,
    de_de: None,
    dialog: RegisterDialog,
    clocked: AppSession,
    typed: str,
    why: str,
) -> None:
    qtbot.keyClicks(dialog.temperature, typed)
    dialog.ok_button.click()
    assert why in dialog.errors["temperature"].text()
    assert dialog.isVisible()
    with pytest.raises(NotFound):
        clocked.batch(CODE)


def test_a_too_long_seal_is_refused_and_nothing_registered(
    dialog: RegisterDialog, clocked: AppSession
) -> None:
    dialog.seal.setText("9" * 65)
    dialog.ok_button.click()
    assert "too long" in dialog.errors["seal"].text()
    with pytest.raises(NotFound):
        clocked.batch(CODE)


def test_every_intake_field_is_reached_by_its_alt_letter(
    qtbot: QtBot, dialog: RegisterDialog
) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for key, widget in (
        (Qt.Key.Key_U, dialog.supplier),
        (Qt.Key.Key_T, dialog.tanker),
        (Qt.Key.Key_E, dialog.seal),
        (Qt.Key.Key_M, dialog.temperature),
    ):
        QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is widget or focused.parent() is widget, key


def test_no_alt_letter_is_used_twice_in_the_register_dialog(dialog: RegisterDialog) -> None:
    letters = mnemonics(dialog)
    # Code, Received, Shelf life, Litres, Fat, Supplier, Tanker, Seal, Temperature, Print
    # label, Register and Cancel.
    assert len(letters) == 12, sorted(letters)
    assert len(letters) == len(set(letters)), sorted(letters)


def test_code_and_received_are_reached_by_their_alt_letters(
    qtbot: QtBot, dialog: RegisterDialog
) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.liters.setFocus()
    for key, widget in ((Qt.Key.Key_D, dialog.code), (Qt.Key.Key_V, dialog.received)):
        QTest.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is widget or focused.parent() is widget, key
