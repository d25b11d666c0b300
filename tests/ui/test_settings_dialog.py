"""The settings dialog: every field checked as typed, a real connection test, a safe save."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
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


def test_an_invalid_code_pattern_keeps_ok_disabled_with_the_reason(dialog: SettingsDialog) -> None:
    dialog.pattern_edit.setText("^[A-Z")
    assert not dialog.ok_button.isEnabled()
    assert _error(dialog, "code_pattern").startswith(
        "⚠ Code pattern '^[A-Z' is not a valid regular expression"
    )


def test_fixing_the_field_enables_ok_again(dialog: SettingsDialog) -> None:
    dialog.pattern_edit.setText("^[A-Z")
    dialog.pattern_edit.setText(r"^TANK\d+$")
    assert (dialog.ok_button.isEnabled(), _error(dialog, "code_pattern")) == (True, "")


def test_an_empty_plant_name_keeps_ok_disabled_with_the_reason(dialog: SettingsDialog) -> None:
    dialog.plant_name_edit.setText("  ")
    assert not dialog.ok_button.isEnabled()
    assert _error(dialog, "plant_name") == (
        "⚠ Plant name is missing: it heads the window and the printed sheets."
    )


def test_an_unknown_time_zone_keeps_ok_disabled_with_the_reason(dialog: SettingsDialog) -> None:
    dialog.time_zone_combo.setEditText("Europe/Atlantis")
    assert not dialog.ok_button.isEnabled()
    assert "Time zone 'Europe/Atlantis' is unknown" in _error(dialog, "time_zone")


@pytest.mark.parametrize(
    ("port", "reason"),
    [
        ("abc", "Port 'abc' is not a whole number"),
        ("70000", "Port must be 1–65535 (got 70000)"),
        ("", "Port '' is not a whole number"),
    ],
)
def test_an_invalid_port_keeps_ok_disabled_with_the_reason(
    offline_dialog: SettingsDialog, port: str, reason: str
) -> None:
    _fill_server(offline_dialog, _server_form(5432))
    offline_dialog.port_edit.setText(port)
    assert not offline_dialog.ok_button.isEnabled()
    assert not offline_dialog.test_button.isEnabled()
    assert reason in _error(offline_dialog, "port")


@pytest.mark.parametrize("field", ["host", "database", "user"])
def test_a_missing_server_field_keeps_ok_disabled_with_the_reason(
    offline_dialog: SettingsDialog, field: str
) -> None:
    _fill_server(offline_dialog, _server_form(5432))
    getattr(offline_dialog, f"{field}_edit").setText("")
    assert not offline_dialog.ok_button.isEnabled()
    assert "missing" in _error(offline_dialog, field)


def test_a_folder_is_not_a_database_file(offline_dialog: SettingsDialog, tmp_path: Path) -> None:
    offline_dialog.sqlite_path_edit.setText(str(tmp_path))
    assert f"{tmp_path} is a folder" in _error(offline_dialog, "sqlite_path")


def test_a_too_long_operator_name_is_refused(dialog: SettingsDialog) -> None:
    dialog.operator_edit.setText("x" * 129)
    assert "129 characters long; at most 128" in _error(dialog, "operator")


def test_errors_of_the_unused_database_kind_do_not_count(offline_dialog: SettingsDialog) -> None:
    _fill_server(offline_dialog, _server_form(5432))
    offline_dialog.port_edit.setText("abc")
    offline_dialog.sqlite_radio.setChecked(True)
    assert offline_dialog.ok_button.isEnabled()


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
    dialog.ok_button.click()
    assert dialog.result() == 0
    assert dialog.save_error.text() == (
        "⚠ Plant settings were not saved: Database unavailable (postgresql): "
        "server closed the connection."
    )
    assert not config_path().exists()  # nothing of this PC's part saved either


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
