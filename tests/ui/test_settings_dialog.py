"""The settings dialog: every field checked as typed, a real connection test, a safe save.

Enter is a real key event into the field that has focus; the dialog's default button takes it.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.config import paths, secret_store
from dairy_desktop.config.local_settings import (
    DATABASE_URL_ENV,
    ConnectionSettings,
    LocalConfig,
    config_path,
    load_local_config,
    resolve_database_url,
    save_local_config,
    split_password,
)
from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register

PASSWORD = "Kuh:milch@42"


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    return tmp_path / "home"


@pytest.fixture
def session(database: Database) -> AppSession:
    return AppSession(database, Actor("ann", "PC-1"))


def _dialog(qtbot: QtBot, session: AppSession | None) -> SettingsDialog:
    dialog = SettingsDialog(session, TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)
    dialog.show()  # the default button takes Enter only while it is visible
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, session: AppSession) -> SettingsDialog:
    return _dialog(qtbot, session)


@pytest.fixture
def offline_dialog(qtbot: QtBot) -> SettingsDialog:
    return _dialog(qtbot, None)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fill_server(dialog: SettingsDialog, form: ConnectionSettings) -> None:
    dialog.postgres_radio.setChecked(True)
    dialog.host_edit.setText(form.host)
    dialog.port_edit.setText(form.port)
    dialog.database_edit.setText(form.database)
    dialog.user_edit.setText(form.user)
    dialog.password_edit.setText(form.password)


def _fill_url(dialog: SettingsDialog, url: str) -> None:
    form = ConnectionSettings.from_url(url)
    if form.kind == "sqlite":
        dialog.sqlite_radio.setChecked(True)
        dialog.sqlite_path_edit.setText(form.sqlite_path)
    else:
        _fill_server(dialog, form)


def _server_form(port: int) -> ConnectionSettings:
    return ConnectionSettings(
        kind="postgresql",
        host="127.0.0.1",
        port=str(port),
        database="dairy",
        user="ann",
        password=PASSWORD,
    )


def _error(dialog: SettingsDialog, field: str) -> str:
    label = dialog.error_labels[field]
    return label.text() if not label.isHidden() else ""


def _enter(qtbot: QtBot, field: QWidget) -> None:
    """Enter pressed while `field` has focus, as the operator does."""
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _refused(dialog: SettingsDialog) -> bool:
    """Enter was pressed and the dialog stayed open saying nothing was saved."""
    return (
        dialog.result() == 0
        and dialog.save_error.text().startswith("⚠ Nothing was saved: fix the")
        and not config_path().exists()
    )


def test_the_dialog_says_what_it_is(dialog: SettingsDialog) -> None:
    assert dialog.windowTitle() == "Settings"


def test_it_opens_on_the_current_database_and_plant(
    dialog: SettingsDialog, session: AppSession
) -> None:
    shown = (dialog.sqlite_radio.isChecked(), dialog.sqlite_path_edit.text())
    assert shown == (True, str(paths.default_sqlite_path()))
    plant = session.plant_settings()
    assert (dialog.plant_name_edit.text(), dialog.time_zone_combo.currentText()) == (
        plant.plant_name,
        plant.time_zone,
    )


def test_valid_settings_allow_ok(dialog: SettingsDialog) -> None:
    assert (dialog.problems(), dialog.ok_button.isEnabled()) == ({}, True)


def test_ok_is_the_default_button_and_cancel_is_not(dialog: SettingsDialog) -> None:
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    assert (dialog.ok_button.isDefault(), cancel.isDefault(), cancel.autoDefault()) == (
        True,
        False,
        False,
    )


def test_enter_in_a_field_saves_and_closes(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.operator_edit.setText("Ann Example")
    _enter(qtbot, dialog.operator_edit)
    assert (dialog.result(), load_local_config().operator) == (1, "Ann Example")


def test_escape_cancels_and_saves_nothing(qtbot: QtBot, dialog: SettingsDialog) -> None:
    dialog.operator_edit.setText("Ann Example")
    qtbot.keyClick(dialog.operator_edit, Qt.Key.Key_Escape)
    assert (dialog.result(), config_path().exists()) == (0, False)


def test_no_reason_shows_before_anything_is_typed(qtbot: QtBot) -> None:
    # The stored connection is broken (its port is not a number), yet nothing was typed.
    save_local_config(LocalConfig(database_url="postgresql://ann@db:5432/dairy"))
    made = _dialog(qtbot, None)
    made.port_edit.setText("")  # typed: now that field says why
    assert _error(made, "port") != ""
    assert [_error(made, name) for name in ("host", "database", "user")] == ["", "", ""]


def test_enter_with_an_invalid_field_shows_every_reason_and_focuses_the_first(
    qtbot: QtBot, offline_dialog: SettingsDialog
) -> None:
    offline_dialog.postgres_radio.setChecked(True)  # host, database and user empty
    _enter(qtbot, offline_dialog.postgres_radio)
    assert _refused(offline_dialog)
    assert offline_dialog.save_error.text() == (
        "⚠ Nothing was saved: fix the 3 fields marked ⚠ above."
    )
    assert all(_error(offline_dialog, name) for name in ("host", "database", "user"))
    assert offline_dialog.focusWidget() is offline_dialog.host_edit


def test_an_invalid_code_pattern_is_refused_on_enter_with_the_reason(
    qtbot: QtBot, dialog: SettingsDialog, session: AppSession
) -> None:
    before = session.plant_settings()
    dialog.pattern_edit.setText("^[A-Z")
    assert _error(dialog, "code_pattern").startswith(
        "⚠ Code pattern '^[A-Z' is not a valid regular expression"
    )
    _enter(qtbot, dialog.pattern_edit)
    assert _refused(dialog)
    assert session.plant_settings() == before


def test_fixing_the_field_clears_its_reason_and_the_refusal(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.pattern_edit.setText("^[A-Z")
    _enter(qtbot, dialog.pattern_edit)
    dialog.pattern_edit.setText(r"^TANK\d+$")
    assert (_error(dialog, "code_pattern"), dialog.save_error.isHidden()) == ("", True)


def test_an_empty_plant_name_is_refused_on_enter_with_the_reason(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.plant_name_edit.setText("  ")
    _enter(qtbot, dialog.plant_name_edit)
    assert _refused(dialog)
    assert _error(dialog, "plant_name") == (
        "⚠ Plant name is missing: it heads the window and the printed sheets."
    )


def test_a_missing_code_pattern_shows_an_example_code(dialog: SettingsDialog) -> None:
    dialog.pattern_edit.setText("")
    shown = _error(dialog, "code_pattern")
    assert "For codes like SCH-20251204-0001, enter the default shown greyed" in shown
    assert dialog.pattern_edit.placeholderText() == r"e.g. ^[A-Z]{3}-\d{8}-\d{4}$"


def test_an_unknown_time_zone_is_refused_on_enter_with_the_reason(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    dialog.time_zone_combo.setEditText("Europe/Atlantis")
    assert "Time zone 'Europe/Atlantis' is unknown" in _error(dialog, "time_zone")
    dialog.near_expiry_spin.setFocus()
    _enter(qtbot, dialog.near_expiry_spin)
    assert _refused(dialog)


@pytest.mark.parametrize(
    ("port", "reason"),
    [
        ("abc", "Port 'abc' is not a whole number"),
        ("70000", "Port must be 1–65535 (got 70000)"),
        ("", "Port '' is not a whole number"),
    ],
)
def test_an_invalid_port_is_refused_with_the_reason(
    qtbot: QtBot, offline_dialog: SettingsDialog, port: str, reason: str
) -> None:
    _fill_server(offline_dialog, _server_form(5432))
    offline_dialog.port_edit.setText(port)
    assert reason in _error(offline_dialog, "port")
    _enter(qtbot, offline_dialog.port_edit)
    assert _refused(offline_dialog)


def test_test_connection_on_an_invalid_form_says_why_instead(
    offline_dialog: SettingsDialog,
) -> None:
    offline_dialog.postgres_radio.setChecked(True)
    offline_dialog.test_button.click()
    assert offline_dialog.test_result.text() == ""
    assert "Server is missing" in _error(offline_dialog, "host")
    assert offline_dialog.focusWidget() is offline_dialog.host_edit


@pytest.mark.parametrize("field", ["host", "database", "user"])
def test_a_missing_server_field_is_refused_with_the_reason(
    qtbot: QtBot, offline_dialog: SettingsDialog, field: str
) -> None:
    _fill_server(offline_dialog, _server_form(5432))
    edit = getattr(offline_dialog, f"{field}_edit")
    edit.setText("")
    assert "missing" in _error(offline_dialog, field)
    _enter(qtbot, edit)
    assert _refused(offline_dialog)


def test_a_folder_is_not_a_database_file(offline_dialog: SettingsDialog, tmp_path: Path) -> None:
    offline_dialog.sqlite_path_edit.setText(str(tmp_path))
    assert f"{tmp_path} is a folder" in _error(offline_dialog, "sqlite_path")


def test_a_too_long_operator_name_is_refused(dialog: SettingsDialog) -> None:
    dialog.operator_edit.setText("x" * 129)
    assert "129 characters long; at most 128" in _error(dialog, "operator")


def test_errors_of_the_unused_database_kind_do_not_count(
    qtbot: QtBot, offline_dialog: SettingsDialog
) -> None:
    _fill_server(offline_dialog, _server_form(5432))
    offline_dialog.port_edit.setText("abc")
    offline_dialog.sqlite_radio.setChecked(True)
    _enter(qtbot, offline_dialog.sqlite_path_edit)
    assert offline_dialog.result() == 1


def test_test_connection_reports_success(offline_dialog: SettingsDialog, database_url: str) -> None:
    _fill_url(offline_dialog, database_url)
    offline_dialog.test_connection()
    assert offline_dialog.test_result.text().startswith("✔ Connected to ")


def test_test_connection_reports_a_closed_port_clearly(offline_dialog: SettingsDialog) -> None:
    port = _closed_port()
    _fill_server(offline_dialog, _server_form(port))
    offline_dialog.test_connection()
    result = offline_dialog.test_result.text()
    assert result.startswith("✖ Database unavailable (postgresql)")
    assert f'"127.0.0.1", port {port} failed: Connection refused' in result


def test_test_connection_runs_in_the_background_with_a_busy_indicator(
    qtbot: QtBot,
) -> None:
    dialog = SettingsDialog(None, TaskRunner())
    qtbot.addWidget(dialog)
    _fill_server(dialog, _server_form(_closed_port()))
    dialog.test_connection()
    busy_while_running = (dialog.test_busy.isVisibleTo(dialog), dialog.test_button.isEnabled())
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("✖"), timeout=10_000)
    assert busy_while_running == (True, False)
    assert (dialog.test_busy.isVisibleTo(dialog), dialog.test_button.isEnabled()) == (False, True)


def test_a_new_sqlite_file_is_reported_as_to_be_created(
    offline_dialog: SettingsDialog, tmp_path: Path
) -> None:
    target = tmp_path / "new" / "dairy.sqlite3"
    offline_dialog.sqlite_path_edit.setText(str(target))
    offline_dialog.test_connection()
    assert "will be created" in offline_dialog.test_result.text()
    assert not target.parent.exists()  # testing never creates anything


def test_editing_the_connection_clears_an_old_result(offline_dialog: SettingsDialog) -> None:
    _fill_server(offline_dialog, _server_form(_closed_port()))
    offline_dialog.test_connection()
    offline_dialog.host_edit.setText("localhost")
    assert offline_dialog.test_result.text() == ""


def test_ok_saves_the_server_without_its_password_in_settings_json(
    offline_dialog: SettingsDialog,
) -> None:
    form = _server_form(_closed_port())
    _fill_server(offline_dialog, form)
    offline_dialog.operator_edit.setText("Ann Example")
    offline_dialog.ok_button.click()
    saved = config_path().read_text(encoding="utf-8")
    assert "Kuh" not in saved
    assert json.loads(saved)["database_url"] == split_password(form.url())[0]
    assert json.loads(saved)["operator"] == "Ann Example"


def test_ok_reports_the_new_url_with_its_password_for_reconnecting(
    offline_dialog: SettingsDialog,
) -> None:
    form = _server_form(_closed_port())
    _fill_server(offline_dialog, form)
    offline_dialog.ok_button.click()
    assert (offline_dialog.database_url_changed, offline_dialog.new_database_url) == (
        True,
        form.url(),
    )
    assert resolve_database_url() == form.url()


def test_the_stored_password_fills_the_field_next_time(
    offline_dialog: SettingsDialog, qtbot: QtBot
) -> None:
    _fill_server(offline_dialog, _server_form(_closed_port()))
    offline_dialog.ok_button.click()
    assert _dialog(qtbot, None).password_edit.text() == PASSWORD


def test_clearing_the_password_forgets_it(offline_dialog: SettingsDialog, qtbot: QtBot) -> None:
    form = _server_form(_closed_port())
    _fill_server(offline_dialog, form)
    offline_dialog.ok_button.click()
    again = _dialog(qtbot, None)
    again.password_edit.setText("")
    again.ok_button.click()
    assert resolve_database_url() == split_password(form.url())[0]


def test_unchanged_connection_is_not_reported_as_changed(offline_dialog: SettingsDialog) -> None:
    offline_dialog.ok_button.click()
    assert (offline_dialog.result(), offline_dialog.database_url_changed) == (1, False)


def test_the_default_sqlite_file_is_saved_as_the_default(offline_dialog: SettingsDialog) -> None:
    offline_dialog.ok_button.click()
    assert load_local_config().database_url is None


def test_another_sqlite_file_is_saved(offline_dialog: SettingsDialog, tmp_path: Path) -> None:
    target = tmp_path / "other.sqlite3"
    offline_dialog.sqlite_path_edit.setText(str(target))
    offline_dialog.ok_button.click()
    assert load_local_config().database_url == f"sqlite:///{target.as_posix()}"
    assert offline_dialog.database_url_changed


def test_ok_keeps_other_per_pc_settings(qtbot: QtBot) -> None:
    save_local_config(LocalConfig(extra={"geometry": "kept"}))
    made = _dialog(qtbot, None)
    made.ok_button.click()
    assert load_local_config().extra == {"geometry": "kept"}


def test_a_blank_operator_means_the_os_login(dialog: SettingsDialog) -> None:
    dialog.operator_edit.setText("   ")
    dialog.ok_button.click()
    assert (dialog.operator, load_local_config().operator) == (None, None)


def test_ok_saves_the_plant_settings_to_the_database(
    dialog: SettingsDialog, session: AppSession
) -> None:
    dialog.plant_name_edit.setText("Riverside Dairy")
    dialog.near_expiry_spin.setValue(5)
    dialog.time_zone_combo.setEditText("Europe/Berlin")
    dialog.ok_button.click()
    stored = session.plant_settings()
    assert (stored.plant_name, stored.near_expiry_days, stored.time_zone) == (
        "Riverside Dairy",
        5,
        "Europe/Berlin",
    )
    assert (dialog.plant_settings_changed, dialog.plant_settings) == (True, stored)


def test_unchanged_plant_settings_are_not_written(dialog: SettingsDialog) -> None:
    dialog.ok_button.click()
    assert (dialog.result(), dialog.plant_settings_changed) == (1, False)


def test_without_a_database_the_plant_section_is_disabled_with_a_note(
    offline_dialog: SettingsDialog,
) -> None:
    assert not offline_dialog.plant_fields.isEnabled()
    assert "the database cannot be reached" in offline_dialog.plant_note.text()
    assert offline_dialog.ok_button.isEnabled()


class _ServerGone(AppSession):
    def update_plant_settings(self, settings: PlantSettings) -> None:
        raise DatabaseUnavailable(
            "Database unavailable (postgresql): server closed the connection."
        )


def test_a_failing_plant_save_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, database: Database
) -> None:
    dialog = _dialog(qtbot, _ServerGone(database, Actor("ann", "PC-1")))
    dialog.plant_name_edit.setText("Hillside")
    dialog.operator_edit.setText("Ann Example")
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert dialog.save_error.text() == (
        "⚠ Nothing was saved: the plant settings could not be written: Database unavailable "
        "(postgresql): server closed the connection."
    )
    assert not config_path().exists()  # nothing of this PC's part saved either
    assert dialog.buttons.button(dialog.buttons.StandardButton.Cancel).isEnabled()


def test_when_this_pcs_part_fails_after_the_plant_part_the_message_says_so(
    qtbot: QtBot, dialog: SettingsDialog, session: AppSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dairy_desktop.ui.dialogs import settings_dialog

    def disk_full(_config: LocalConfig) -> None:
        raise OSError(28, "No space left on device", str(config_path()))

    monkeypatch.setattr(settings_dialog, "save_local_config", disk_full)
    dialog.plant_name_edit.setText("Hillside")
    _enter(qtbot, dialog.plant_name_edit)
    assert session.plant_settings().plant_name == "Hillside"
    assert dialog.result() == 0
    assert dialog.save_error.text().startswith(
        "⚠ The plant settings were saved (every PC uses them now), but this PC's settings "
        "were not: No space left on device"
    )
    monkeypatch.undo()  # the disk has room again: OK saves this PC's part, reports both
    dialog.operator_edit.setText("Ann Example")
    _enter(qtbot, dialog.operator_edit)
    assert (dialog.result(), dialog.plant_settings_changed) == (1, True)
    assert load_local_config().operator == "Ann Example"


def test_a_failing_local_save_alone_says_nothing_was_saved(
    qtbot: QtBot, offline_dialog: SettingsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dairy_desktop.ui.dialogs import settings_dialog

    def read_only(_config: LocalConfig) -> None:
        raise PermissionError(13, "Permission denied", str(config_path()))

    monkeypatch.setattr(settings_dialog, "save_local_config", read_only)
    offline_dialog.operator_edit.setText("Ann Example")
    offline_dialog.ok_button.click()
    assert offline_dialog.save_error.text().startswith(
        "⚠ Nothing was saved: this PC's settings could not be written: Permission denied"
    )


def test_the_operator_in_use_is_shown_when_it_overrides_the_saved_one(qtbot: QtBot) -> None:
    made = SettingsDialog(None, TaskRunner(synchronous=True), operator_in_use="maria")
    qtbot.addWidget(made)
    assert made.operator_note.text() == (
        "Changes are recorded as “maria” now: Dairy Desktop was started with --operator, "
        "which overrides the name saved here."
    )
    assert made.operator_edit.text() == ""  # what is saved for this PC is unchanged


def test_the_operator_from_the_environment_is_named_as_such(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAIRY_DESKTOP_OPERATOR", "jonas")
    made = SettingsDialog(None, TaskRunner(synchronous=True), operator_in_use="jonas")
    qtbot.addWidget(made)
    assert "DAIRY_DESKTOP_OPERATOR is set on this PC" in made.operator_note.text()


def test_the_sessions_operator_is_the_one_shown(dialog: SettingsDialog) -> None:
    assert dialog.operator_note.text().startswith("Changes are recorded as “ann” now")


def test_a_saved_operator_in_use_gets_no_override_note(qtbot: QtBot) -> None:
    save_local_config(LocalConfig(operator="maria"))
    made = SettingsDialog(None, TaskRunner(synchronous=True), operator_in_use="maria")
    qtbot.addWidget(made)
    assert made.operator_note.text() == "Changes are recorded as “maria” now."
    assert made.operator_edit.text() == "maria"


# a new code pattern is checked against the codes already stored


def _answer_pattern_warning(qtbot: QtBot, key: Qt.Key, seen: list[str]) -> None:
    """Press `key` in the warning once it is up (it runs its own event loop)."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(5, answer)
            return
        seen.append(box.text())
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, answer)


def _two_old_codes(session: AppSession) -> None:
    register(session.database, "SCH-20251204-0001")
    register(session.database, "HOF-20251204-0002")


def test_a_pattern_no_stored_code_matches_is_saved_only_when_confirmed(
    qtbot: QtBot, dialog: SettingsDialog, session: AppSession
) -> None:
    _two_old_codes(session)
    dialog.pattern_edit.setText(r"^TANK\d+$")
    seen: list[str] = []
    _answer_pattern_warning(qtbot, Qt.Key.Key_Return, seen)  # Enter: back to editing
    _enter(qtbot, dialog.pattern_edit)
    assert seen[0].startswith(
        "2 of 2 existing batch codes do not match the new pattern, e.g. HOF-20251204-0002."
    )
    assert seen[0].endswith("Save anyway?")
    assert (dialog.result(), session.plant_settings().code_pattern) == (
        0,
        r"^[A-Z]{3}-\d{8}-\d{4}$",
    )
    assert dialog.ok_button.isEnabled()

    _answer_pattern_warning(qtbot, Qt.Key.Key_S, seen)  # S, the mnemonic of "Save anyway"
    _enter(qtbot, dialog.pattern_edit)
    assert (dialog.result(), session.plant_settings().code_pattern) == (1, r"^TANK\d+$")


def test_a_pattern_every_stored_code_matches_is_saved_without_asking(
    qtbot: QtBot, dialog: SettingsDialog, session: AppSession
) -> None:
    _two_old_codes(session)
    dialog.pattern_edit.setText(r"^[A-Z]{3}-\d{8}-\d{4,5}$")
    _enter(qtbot, dialog.pattern_edit)
    assert (dialog.result(), session.plant_settings().code_pattern) == (
        1,
        r"^[A-Z]{3}-\d{8}-\d{4,5}$",
    )


def test_escape_in_the_pattern_warning_saves_nothing(
    qtbot: QtBot, dialog: SettingsDialog, session: AppSession
) -> None:
    _two_old_codes(session)
    dialog.pattern_edit.setText(r"^TANK\d+$")
    seen: list[str] = []
    _answer_pattern_warning(qtbot, Qt.Key.Key_Escape, seen)
    dialog.ok_button.click()
    assert (len(seen), dialog.result(), config_path().exists()) == (1, 0, False)
    assert session.plant_settings().code_pattern == r"^[A-Z]{3}-\d{8}-\d{4}$"


def test_without_a_password_store_the_dialog_says_the_password_is_not_encrypted(
    offline_dialog: SettingsDialog,
) -> None:
    # The suite runs keyring on its fail backend: this PC has no password store.
    note = offline_dialog.password_note.text()
    assert "NOT encrypted" in note
    assert str(secret_store.secrets_path()) in note


def test_with_a_password_store_the_dialog_names_it(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secret_store, "scheme", lambda: "keyring")
    note = _dialog(qtbot, None).password_note.text()
    assert "password store" in note
    assert "not encrypted" not in note.lower()


def test_the_dialog_grows_for_a_reason_and_shrinks_back_once_it_is_gone(
    qtbot: QtBot, dialog: SettingsDialog
) -> None:
    qtbot.waitUntil(lambda: dialog.height() > 0)
    qtbot.wait(20)  # the first refit after showing
    before = dialog.height()
    dialog.plant_name_edit.setText("")
    qtbot.waitUntil(lambda: dialog.height() > before)
    dialog.plant_name_edit.setText("Riverside Dairy")
    qtbot.waitUntil(lambda: dialog.height() == before)
