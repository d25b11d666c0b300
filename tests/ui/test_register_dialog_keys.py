"""The register dialog driven with real key events: Enter, Escape, Tab, typed numbers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from dairy_desktop.db.database import Database
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.support.locales import default_locale
from tests.ui.conftest import OPERATOR

CODE = "SCH-20261120-0002"
# 2026-12-01 09:00 in Berlin: the day the label below was scanned.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
BERLIN = PlantSettings(time_zone="Europe/Berlin")


@pytest.fixture
def clocked(database: Database) -> AppSession:
    return AppSession(database, OPERATOR, clock=lambda: NOW)


@pytest.fixture
def en_us() -> Iterator[None]:
    yield from default_locale("en_US")


@pytest.fixture
def de_de() -> Iterator[None]:
    yield from default_locale("de_DE")


@pytest.fixture
def dialog(qtbot, clocked: AppSession, runner: TaskRunner) -> RegisterDialog:  # type: ignore[no-untyped-def]
    register = RegisterDialog(BERLIN, clocked, runner)
    qtbot.addWidget(register)
    register.show()
    qtbot.waitExposed(register)
    register.activateWindow()
    qtbot.waitUntil(register.isActiveWindow)
    register.code.setFocus()
    return register


def _focused() -> object:
    return QApplication.focusWidget()


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def test_nothing_is_red_before_anything_is_typed(dialog: RegisterDialog) -> None:
    assert all(label.isHidden() for label in dialog.errors.values())
    assert dialog.ok_button.isEnabled()
    assert dialog.ok_button.isDefault()


def test_enter_on_an_empty_form_says_why_and_focuses_the_first_bad_field(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: RegisterDialog,
    clocked: AppSession,
) -> None:
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "missing" in dialog.errors["code"].text()
    assert not dialog.errors["code"].isHidden()
    assert "Litres are missing" in dialog.errors["liters"].text()
    assert not dialog.errors["liters"].isHidden()
    assert dialog.errors["fat"].isHidden()  # optional, and empty
    assert _focused() is dialog.code
    assert clocked.listing().batches == []


def test_a_field_shows_its_reason_once_edited_and_others_stay_quiet(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: RegisterDialog,
) -> None:
    _type(qtbot, dialog.liters, "0")
    assert "more than 0" in dialog.errors["liters"].text()
    assert not dialog.errors["liters"].isHidden()
    assert dialog.errors["code"].isHidden()  # not touched yet


def test_enter_in_the_last_field_registers_with_the_numbers_as_typed_in_en_us(
    qtbot,  # type: ignore[no-untyped-def]
    en_us: None,
    dialog: RegisterDialog,
    clocked: AppSession,
) -> None:
    _type(qtbot, dialog.code, CODE)
    _type(qtbot, dialog.liters, "1,000.5")
    assert dialog.liters_reading.text() == "= 1,000.500 L"
    _type(qtbot, dialog.fat, "3.8")
    assert dialog.fat_reading.text() == "= 3.80 %"
    qtbot.keyClick(dialog.fat, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    batch = clocked.batch(CODE)
    assert str(batch.initial_liters) == "1000.500"
    assert str(batch.fat_percent) == "3.80"


def test_german_numbers_are_read_the_german_way(
    qtbot,  # type: ignore[no-untyped-def]
    de_de: None,
    dialog: RegisterDialog,
    clocked: AppSession,
) -> None:
    _type(qtbot, dialog.code, CODE)
    _type(qtbot, dialog.liters, "4.200,5")
    assert dialog.liters_reading.text() == "= 4.200,500 L"
    _type(qtbot, dialog.fat, "3,5 %")
    qtbot.keyClick(dialog.fat, Qt.Key.Key_Enter)
    assert dialog.result() == QDialog.DialogCode.Accepted
    batch = clocked.batch(CODE)
    assert (str(batch.initial_liters), str(batch.fat_percent)) == ("4200.500", "3.50")


def test_a_number_this_locale_cannot_read_is_refused_with_the_reason(
    qtbot,  # type: ignore[no-untyped-def]
    en_us: None,
    dialog: RegisterDialog,
    clocked: AppSession,
) -> None:
    _type(qtbot, dialog.code, CODE)
    _type(qtbot, dialog.liters, "1,00")
    assert dialog.liters_reading.text() == ""
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert "exactly 3 digits" in dialog.errors["liters"].text()
    assert "the decimal point is '.'" in dialog.errors["liters"].text()
    assert _focused() is dialog.liters
    assert dialog.isVisible()
    assert clocked.listing().batches == []


def test_escape_cancels_and_saves_nothing(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: RegisterDialog,
    clocked: AppSession,
) -> None:
    _type(qtbot, dialog.code, CODE)
    _type(qtbot, dialog.liters, "10")
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert clocked.listing().batches == []


def test_tab_leaves_the_date_as_a_whole_and_arrows_still_edit_its_parts(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: RegisterDialog,
) -> None:
    qtbot.keyClick(dialog.code, Qt.Key.Key_Tab)
    assert _focused() is dialog.received
    before = dialog.received.dateTime()
    qtbot.keyClick(dialog.received, Qt.Key.Key_Down)  # the first part: the year
    assert dialog.received.dateTime() == before.addYears(-1)
    qtbot.keyClick(dialog.received, Qt.Key.Key_Tab)
    assert _focused() is dialog.shelf_life
    qtbot.keyClick(dialog.shelf_life, Qt.Key.Key_Backtab)
    assert _focused() is dialog.received


def test_shelf_life_says_day_for_one_and_days_for_more(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: RegisterDialog,
) -> None:
    assert dialog.shelf_life.text() == "5 days"
    dialog.shelf_life.setValue(2)
    qtbot.keyClick(dialog.shelf_life, Qt.Key.Key_Down)
    assert dialog.shelf_life.text() == "1 day"


def test_a_label_that_expired_before_it_was_received_leaves_the_shelf_life_to_the_operator(
    qtbot,  # type: ignore[no-untyped-def]
    dialog: RegisterDialog,
    clocked: AppSession,
) -> None:
    dialog.prefill(
        code=CODE,
        shelf_life_days=None,
        received=NOW,
        label_expiry=date(2026, 11, 22),
    )
    assert not dialog.label_note.isHidden()
    assert "The label says this milk expired on 22 Nov 2026" in dialog.label_note.text()
    assert dialog.shelf_life.chosen() is None
    assert dialog.shelf_life.text() == "choose…"
    assert "choose the shelf life" in dialog.expiry_preview.text()
    _type(qtbot, dialog.liters, "500")
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert "Choose the shelf life" in dialog.errors["shelf_life"].text()
    assert not dialog.errors["shelf_life"].isHidden()
    assert _focused() is dialog.shelf_life
    assert clocked.listing().batches == []

    qtbot.keyClick(dialog.shelf_life, Qt.Key.Key_Up)  # the operator chooses: 1 day
    assert dialog.shelf_life.text() == "1 day"
    qtbot.keyClick(dialog.shelf_life, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert clocked.batch(CODE).expires_at == NOW.replace(second=0) + timedelta(days=1)


def test_a_label_date_within_the_shelf_life_range_gives_the_days(dialog: RegisterDialog) -> None:
    dialog.prefill(code=CODE, received=NOW, label_expiry=date(2026, 12, 5))
    assert dialog.shelf_life.chosen() == 4
    assert dialog.label_note.isHidden()


@pytest.mark.parametrize(
    ("expiry", "said"),
    [(date(2026, 12, 1), "the day it was received"), (date(2027, 1, 15), "longest shelf life")],
)
def test_a_label_date_no_shelf_life_can_give_asks_for_one(
    dialog: RegisterDialog, expiry: date, said: str
) -> None:
    dialog.prefill(code=CODE, received=NOW, label_expiry=expiry)
    assert dialog.shelf_life.chosen() is None
    assert said in dialog.label_note.text()
    assert "shelf_life" in dialog.problems()
