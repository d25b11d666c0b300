"""Settings: which database this PC uses, the plant's shared settings, and who is operating.

The database choice and operator are per PC (settings.json, password in the secret store);
the plant part lives in the database, so every PC sees the same. Every field is checked as
typed; its reason shows once that field was edited, or every reason once OK was pressed.
OK (and Enter) with an invalid field saves nothing and says what to fix.

Saving: the plant part first (the database is what is likely to fail; then nothing is
saved), this PC's part right after. Should that fail, the message says the plant part was
saved. Work handed to the runner takes values read from the form beforehand, never widgets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.config import paths
from dairy_desktop.config.local_settings import (
    DATABASE_URL_ENV,
    POSTGRESQL,
    SQLITE,
    ConnectionSettings,
    LocalConfig,
    forget_password,
    load_local_config,
    resolve_database_url,
    save_local_config,
)
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.settings import MAX_NEAR_EXPIRY_DAYS, PlantSettings
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.settings_checks import (
    PatternFit,
    check_connection,
    connection_failure_message,
    existing_pattern_fit,
    normalized_suppliers,
    normalized_tests,
    operator_problem,
    pattern_example,
    pattern_warning,
    plant_problems,
    temperature_limit_deci,
)
from dairy_desktop.ui.dialogs.settings_fields import operator_note, password_note, time_zone_combo
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons, secondary_button
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

# Always with a ⚠ or ✖ and words, never colour alone; a lighter red on a dark palette.
_ERROR_STYLE = {False: "color: #c62828;", True: "color: #ff8a80;"}
MIN_WIDTH = 580
# Every field with a reason, in the order the form shows them: the first bad one gets focus.
FIELD_ORDER = (
    "sqlite_path",
    "host",
    "port",
    "database",
    "user",
    "plant_name",
    "code_pattern",
    "time_zone",
    "qa_required_tests",
    "temperature_limit",
    "suppliers",
    "product_description",
    "operator",
)
CONNECTION_FIELDS = frozenset(FIELD_ORDER[:5])


@dataclass(frozen=True, slots=True)
class _LocalPart:
    """This PC's part of the form, read on the GUI thread when OK was pressed."""

    connection: ConnectionSettings
    operator: str | None


class SettingsDialog(QDialog):
    """`SettingsDialog(session, runner, parent=None, *, operator_in_use=None)`; `session` None
    = database unreachable. `operator_in_use`: who the window records changes as (the
    session's operator when not given).

    After `accept()`: `database_url_changed`, `new_database_url` (password included, for
    reconnecting; never log it), `operator` (None = the OS login), `operator_changed`,
    `plant_settings` (None when the plant section was unavailable), `plant_settings_changed`.
    """

    def __init__(
        self,
        session: AppSession | None,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        operator_in_use: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(MIN_WIDTH)
        self._session, self._runner = session, runner
        self._operator_in_use = operator_in_use or (session.actor.operator if session else None)
        self._config = load_local_config()
        self._initial = ConnectionSettings.from_url(resolve_database_url())
        self._loaded_plant: PlantSettings | None = None
        self._testing = self._saving = False
        self._test_generation = 0
        self.error_labels: dict[str, QLabel] = {}
        self._editors: dict[str, QWidget] = {}
        # A field's reason shows once it was edited by hand, every reason once OK was pressed.
        self._edited_fields: set[str] = set()
        self._show_every_error = False
        self._filling = False  # the dialog is filling fields itself: nothing was edited
        self._refused_invalid = False
        self._plant_written = False  # saved by an earlier OK whose local part then failed

        self.new_database_url = self._initial.url()
        self.database_url_changed = False
        self.operator: str | None = self._config.operator
        self.saved_operator_before = self._config.operator  # the name saved until OK
        self.operator_changed = False
        self.plant_settings: PlantSettings | None = None
        self.plant_settings_changed = False

        layout = QVBoxLayout(self)
        layout.addWidget(self._database_group())
        layout.addWidget(self._plant_group())
        layout.addWidget(self._pc_group())
        self.save_error = self._message_label(self._error_style())
        layout.addWidget(self.save_error)
        layout.addStretch(1)  # spare height goes below the sections, not into them
        # No Alt+O or Alt+C in the form: some desktops give OK and Cancel those.
        self.buttons, self.ok_button = primary_buttons(self, "OK")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._point_labels_at_fields()
        self._connect_validation()
        self._fill_connection(self._initial)
        self._load_plant()
        self.validate()
        # As tall as what is shown: reasons and notes come and go, wrapped on several lines.
        keep_fitted(self)

    # building
    def _error_style(self) -> str:
        return _ERROR_STYLE[self.palette().color(QPalette.ColorRole.Window).lightness() < 128]

    def _message_label(self, style: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setStyleSheet(style)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    def _with_error(self, name: str, editor: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        label = self._message_label(self._error_style())
        label.setObjectName(f"{name}_error")
        column.addWidget(label)
        self.error_labels[name] = label
        self._editors[name] = box
        box.setFocusProxy(editor)  # the row label's Alt+letter lands in the field
        return box

    def _point_labels_at_fields(self) -> None:
        """A row label's Alt+letter focuses its buddy only if the buddy takes focus; the
        boxes holding a field and its reason do not, so each label points at the field."""
        for label in self.findChildren(QLabel):
            field: QWidget | None = label.buddy()
            if field is None:
                continue
            proxy = field.focusProxy()
            while proxy is not None:
                field, proxy = proxy, proxy.focusProxy()
            if field is not label.buddy():
                label.setBuddy(field)

    def _line(self, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        return edit

    def _database_group(self) -> QGroupBox:
        group = QGroupBox("Database connection (this PC)")
        self.sqlite_radio = QRadioButton("This PC only (&SQLite file)")
        self.postgres_radio = QRadioButton("Shared server (&PostgreSQL)")
        kinds = QButtonGroup(group)
        kinds.addButton(self.sqlite_radio)
        kinds.addButton(self.postgres_radio)

        self.sqlite_path_edit = self._line(str(paths.default_sqlite_path()))
        self.browse_button = secondary_button(QPushButton("&Browse…"))
        self.browse_button.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.sqlite_path_edit, 1)
        path_row.addWidget(self.browse_button)
        path_box = QWidget()
        path_box.setLayout(path_row)
        path_box.setFocusProxy(self.sqlite_path_edit)
        self.sqlite_form = QWidget()
        sqlite_layout = QFormLayout(self.sqlite_form)
        sqlite_layout.setContentsMargins(24, 0, 0, 0)
        sqlite_layout.addRow("&File:", self._with_error("sqlite_path", path_box))

        self.host_edit = self._line("e.g. dairy-server or 192.168.1.20")
        self.port_edit = self._line("5432")
        self.port_edit.setMaximumWidth(80)
        self.database_edit = self._line("e.g. dairy")
        self.user_edit = self._line("your PostgreSQL login")
        self.password_edit = self._line()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.postgres_form = QWidget()
        server = QFormLayout(self.postgres_form)
        server.setContentsMargins(24, 0, 0, 0)
        server.addRow("Ser&ver:", self._with_error("host", self.host_edit))
        server.addRow("Po&rt:", self._with_error("port", self.port_edit))
        server.addRow("&Database:", self._with_error("database", self.database_edit))
        server.addRow("&User:", self._with_error("user", self.user_edit))
        server.addRow("Pass&word:", self.password_edit)
        self.password_note = QLabel(password_note())
        self.password_note.setWordWrap(True)
        server.addRow("", self.password_note)

        self.test_button = secondary_button(QPushButton("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_busy = QProgressBar()
        self.test_busy.setRange(0, 0)
        self.test_busy.setMaximumWidth(90)
        self.test_busy.setTextVisible(False)
        self.test_busy.hide()
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_busy)
        test_row.addStretch(1)

        layout = QVBoxLayout(group)
        layout.addWidget(self.sqlite_radio)
        layout.addWidget(self.sqlite_form)
        layout.addWidget(self.postgres_radio)
        layout.addWidget(self.postgres_form)
        layout.addLayout(test_row)
        layout.addWidget(self.test_result)
        if os.environ.get(DATABASE_URL_ENV):
            override = QLabel(
                f"Note: {DATABASE_URL_ENV} is set on this PC and overrides what is saved here."
            )
            override.setWordWrap(True)
            layout.addWidget(override)
        return group

    def _plant_group(self) -> QGroupBox:
        self.plant_group = QGroupBox("Plant (shared by every PC)")
        self.plant_name_edit = self._line("e.g. Riverside Dairy")
        self.pattern_edit = self._line(f"e.g. {DEFAULT_CODE_PATTERN}")  # the default
        self.pattern_edit.setStyleSheet("font-family: monospace;")
        self.near_expiry_spin = QSpinBox()
        self.near_expiry_spin.setRange(0, MAX_NEAR_EXPIRY_DAYS)
        self.near_expiry_spin.setSuffix(" days")
        self.time_zone_combo = time_zone_combo()
        form = QFormLayout()
        form.addRow("Plant &name:", self._with_error("plant_name", self.plant_name_edit))
        form.addRow("Batch code p&attern:", self._with_error("code_pattern", self.pattern_edit))
        self.pattern_example = QLabel()  # a code it accepts: easier read than the expression
        self.pattern_example.setObjectName("patternExample")
        self.pattern_example.hide()
        form.addRow("", self.pattern_example)
        form.addRow("Near-&expiry warning:", self.near_expiry_spin)
        form.addRow("Plant time &zone:", self._with_error("time_zone", self.time_zone_combo))
        self.qa_required_check = QCheckBox("&QA release required before use")
        self.qa_required_check.setObjectName("qaReleaseRequired")
        self.qa_required_check.setToolTip(
            "On: a new delivery awaits QA and cannot be used until every required test passed"
        )
        form.addRow("", self.qa_required_check)
        self.required_tests_edit = self._line("e.g. beta-lactam, aflatoxin-m1")
        self.required_tests_edit.setObjectName("requiredTests")
        form.addRow(
            "Required tests (passin&g all releases a batch):",
            self._with_error("qa_required_tests", self.required_tests_edit),
        )
        self.temperature_limit_edit = self._line("7.0 (the PMO's 45 °F)")
        self.temperature_limit_edit.setObjectName("temperatureLimit")
        self.temperature_limit_edit.setMaximumWidth(120)
        form.addRow(
            "Receipt temperature &limit (°C):",
            self._with_error("temperature_limit", self.temperature_limit_edit),
        )
        self.suppliers_edit = QPlainTextEdit()
        self.suppliers_edit.setObjectName("suppliers")
        self.suppliers_edit.setPlaceholderText("one per line, e.g.\nHof Schmidt\nMolkerei Nord")
        self.suppliers_edit.setTabChangesFocus(True)  # Tab moves on; Enter starts a new line
        # Three lines show (it scrolls for more): the dialog is already near a laptop's height.
        lines = self.suppliers_edit.fontMetrics().lineSpacing() * 3
        self.suppliers_edit.setMaximumHeight(lines + 2 * self.suppliers_edit.frameWidth() + 8)
        form.addRow(
            "Suppl&iers (one per line):", self._with_error("suppliers", self.suppliers_edit)
        )
        self.product_edit = self._line("e.g. raw milk")
        self.product_edit.setObjectName("productDescription")
        form.addRow(
            "Product description (s&hown on recalls):",
            self._with_error("product_description", self.product_edit),
        )
        self.plant_note = self._message_label("")
        self.plant_fields = QWidget()
        self.plant_fields.setLayout(form)
        layout = QVBoxLayout(self.plant_group)
        layout.addWidget(self.plant_note)
        layout.addWidget(self.plant_fields)
        return self.plant_group

    def _pc_group(self) -> QGroupBox:
        group = QGroupBox("This PC")
        self.operator_edit = self._line(f"blank = your login ({Actor().operator})")
        self.operator_edit.setText(self._config.operator or "")
        form = QFormLayout(group)
        form.addRow("Operator na&me:", self._with_error("operator", self.operator_edit))
        self.operator_note = QLabel(
            operator_note(
                self._operator_in_use, saved=self._config.operator, os_login=Actor().operator
            )
        )
        self.operator_note.setObjectName("operatorNote")
        self.operator_note.setWordWrap(True)
        self.operator_note.setVisible(bool(self.operator_note.text()))
        form.addRow("", self.operator_note)
        return group

    def _fill_connection(self, form: ConnectionSettings) -> None:
        self._filling = True
        try:
            self.sqlite_path_edit.setText(form.sqlite_path)
            self.host_edit.setText(form.host)
            self.port_edit.setText(form.port)
            self.database_edit.setText(form.database)
            self.user_edit.setText(form.user)
            self.password_edit.setText(form.password)
            radio = self.postgres_radio if form.kind == POSTGRESQL else self.sqlite_radio
            radio.setChecked(True)
        finally:
            self._filling = False

    def _connect_validation(self) -> None:
        fields = {
            "sqlite_path": self.sqlite_path_edit,
            "host": self.host_edit,
            "port": self.port_edit,
            "database": self.database_edit,
            "user": self.user_edit,
            "plant_name": self.plant_name_edit,
            "code_pattern": self.pattern_edit,
            "product_description": self.product_edit,
            "operator": self.operator_edit,
        }
        for name, edit in fields.items():
            edit.textChanged.connect(lambda _text, name=name: self._edited(name))
        self.time_zone_combo.editTextChanged.connect(lambda _text: self._edited("time_zone"))
        self.required_tests_edit.textChanged.connect(
            lambda _text: self._edited("qa_required_tests")
        )
        self.temperature_limit_edit.textChanged.connect(
            lambda _text: self._edited("temperature_limit")
        )
        self.suppliers_edit.textChanged.connect(lambda: self._edited("suppliers"))
        self.qa_required_check.toggled.connect(lambda _on: self._edited("qa_release_required"))
        self.password_edit.textChanged.connect(self._connection_edited)
        self.sqlite_radio.toggled.connect(self._connection_edited)

    def _edited(self, name: str) -> None:
        if not self._filling:
            self._edited_fields.add(name)
        if name in CONNECTION_FIELDS:
            self._connection_edited()
        else:
            self.validate()

    # reading the form
    def connection_form(self) -> ConnectionSettings:
        return replace(
            self._initial,
            kind=SQLITE if self.sqlite_radio.isChecked() else POSTGRESQL,
            sqlite_path=self.sqlite_path_edit.text(),
            host=self.host_edit.text(),
            port=self.port_edit.text(),
            database=self.database_edit.text(),
            user=self.user_edit.text(),
            password=self.password_edit.text(),
        )

    def plant_form(self) -> PlantSettings:
        """The plant section as typed; a setting the form does not show keeps its value."""
        loaded = self._loaded_plant or PlantSettings()
        try:
            limit = temperature_limit_deci(self.temperature_limit_edit.text())
        except InvalidInput:
            limit = loaded.temperature_limit_deci  # its problem is shown beside the field
        return replace(
            loaded,
            plant_name=self.plant_name_edit.text().strip(),
            code_pattern=self.pattern_edit.text().strip(),
            near_expiry_days=self.near_expiry_spin.value(),
            time_zone=self.time_zone_combo.currentText().strip(),
            qa_release_required=self.qa_required_check.isChecked(),
            qa_required_tests=normalized_tests(self.required_tests_edit.text()),
            temperature_limit_deci=limit,
            suppliers=normalized_suppliers(self.suppliers_edit.toPlainText()),
            product_description=self.product_edit.text().strip(),
        )

    def _temperature_problem(self) -> str | None:
        try:
            temperature_limit_deci(self.temperature_limit_edit.text())
        except InvalidInput as error:
            return str(error)
        return None

    def problems(self) -> dict[str, str]:
        """Every invalid field's name and the reason; empty when OK may be pressed."""
        found = self.connection_form().problems()
        if self._loaded_plant is not None:
            found.update(plant_problems(self.plant_form()))
            temperature = self._temperature_problem()
            if temperature:
                found["temperature_limit"] = temperature
        operator = operator_problem(self.operator_edit.text())
        if operator:
            found["operator"] = operator
        return found

    def validate(self) -> bool:
        """Show the reasons due (see the module's docstring); True when every field is valid.

        OK is never disabled for an invalid field (Enter on a disabled button does nothing,
        which reads as a broken keyboard); pressing it says what to fix instead.
        """
        found = self.problems()
        for name, label in self.error_labels.items():
            shown = name in found and (self._show_every_error or name in self._edited_fields)
            label.setText(f"⚠ {found[name]}" if shown else "")
            label.setVisible(shown)
        example = "" if "code_pattern" in found else pattern_example(self.plant_form().code_pattern)
        self.pattern_example.setText(example)
        self.pattern_example.setVisible(bool(example))
        postgres = self.postgres_radio.isChecked()
        self.sqlite_form.setEnabled(not postgres)
        self.postgres_form.setEnabled(postgres)
        self.test_button.setEnabled(not self._testing)
        self.ok_button.setEnabled(not self._saving)
        if self._refused_invalid and not found:
            self._refused_invalid = False
            self._show_save_error("")
        return not found

    def _focus_first_problem(self, found: dict[str, str]) -> None:
        first = next((name for name in FIELD_ORDER if name in found), None)
        if first is not None:
            self._editors[first].setFocus(Qt.FocusReason.OtherFocusReason)

    def _connection_edited(self) -> None:
        self._test_generation += 1  # a result for the previous values would mislead
        self.test_result.clear()
        self.validate()

    # plant settings (from the database, through the runner)
    def _load_plant(self) -> None:
        self.plant_fields.setEnabled(False)
        if self._session is None:
            self._plant_unavailable("the database cannot be reached")
            return
        self._show_plant_note("Loading plant settings…")
        session = self._session
        self._runner.run(session.plant_settings, self._plant_loaded, self._plant_failed)

    def _plant_loaded(self, settings: PlantSettings) -> None:
        if not shiboken6.isValid(self):
            return
        self._loaded_plant = settings
        self._filling = True
        try:
            self.plant_name_edit.setText(settings.plant_name)
            self.pattern_edit.setText(settings.code_pattern)
            self.near_expiry_spin.setValue(settings.near_expiry_days)
            self.time_zone_combo.setEditText(settings.time_zone)
            self.qa_required_check.setChecked(settings.qa_release_required)
            self.required_tests_edit.setText(settings.qa_required_tests.replace(",", ", "))
            # In the PC's number format, as it will be read back.
            self.temperature_limit_edit.setText(
                format_decimal(Decimal(settings.temperature_limit_deci) / 10, 1)
            )
            self.suppliers_edit.setPlainText(settings.suppliers)
            self.product_edit.setText(settings.product_description)
        finally:
            self._filling = False
        self.plant_fields.setEnabled(True)
        self._show_plant_note("")
        self.validate()

    def _plant_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._plant_unavailable(connection_failure_message(error))

    def _plant_unavailable(self, why: str) -> None:
        # Hidden rather than shown disabled: blank or default values would read as the real ones.
        self.plant_fields.hide()
        self._show_plant_note(
            f"Plant settings cannot be shown or changed now: {why.rstrip('.')}. They are kept "
            "in the shared database; fix the connection above, then open Settings again."
        )

    def _show_plant_note(self, text: str) -> None:
        self.plant_note.setText(text)
        self.plant_note.setVisible(bool(text))

    # test connection
    def test_connection(self) -> None:
        form = self.connection_form()
        if self._testing:
            return
        problems = form.problems()
        if problems:  # say why rather than test what cannot be a connection
            self._edited_fields.update(problems)
            self.validate()
            self._focus_first_problem(problems)
            return
        self._test_generation += 1
        generation = self._test_generation
        self._set_testing(True)
        self.test_result.setStyleSheet("")
        self.test_result.setText("Connecting…")
        self._runner.run(
            lambda: check_connection(form),
            lambda message: self._test_finished(generation, True, message),
            lambda error: self._test_finished(generation, False, connection_failure_message(error)),
        )

    def _test_finished(self, generation: int, ok: bool, message: str) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_testing(False)
        if generation != self._test_generation:
            return
        self.test_result.setStyleSheet("" if ok else self._error_style())
        self.test_result.setText(f"✔ {message}" if ok else f"✖ {message}")

    def _set_testing(self, testing: bool) -> None:
        self._testing = testing
        self.test_busy.setVisible(testing)
        self.validate()

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "SQLite database file",
            self.sqlite_path_edit.text() or str(paths.default_sqlite_path()),
            "SQLite database (*.sqlite3 *.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,  # picking an existing file is normal
        )
        if chosen:
            self.sqlite_path_edit.setText(chosen)

    # saving
    def accept(self) -> None:
        if self._saving:
            return
        self._show_every_error = True
        found = self.problems()
        if not self.validate():
            self._refused_invalid = True
            count = "the field" if len(found) == 1 else f"the {len(found)} fields"
            self._show_save_error(f"Nothing was saved: fix {count} marked ⚠ above.")
            self._focus_first_problem(found)
            return
        # Everything the work below needs, read here on the GUI thread.
        local = _LocalPart(self.connection_form(), self.operator_edit.text().strip() or None)
        plant = self.plant_form() if self._loaded_plant is not None else None
        session, loaded = self._session, self._loaded_plant
        if session is None or plant is None or plant == loaded:
            self._save_local(local, plant, plant_changed=self._plant_written)
            return
        self._set_saving(True)
        self._show_save_error("")
        if loaded is not None and plant.code_pattern != loaded.code_pattern:
            pattern = plant.code_pattern
            self._runner.run(
                lambda: existing_pattern_fit(session, pattern),
                lambda fit: self._pattern_checked(fit, session, local, plant),
                self._plant_save_failed,
            )
        else:
            self._save_plant(session, local, plant)

    def _pattern_checked(
        self, fit: PatternFit, session: AppSession, local: _LocalPart, plant: PlantSettings
    ) -> None:
        if not shiboken6.isValid(self):
            return
        question = pattern_warning(fit, plant.code_pattern)
        if question is not None and not self._save_anyway(question):
            self._set_saving(False)
            self.pattern_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._save_plant(session, local, plant)

    def _save_anyway(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "New code pattern", question, parent=self)
        box.setObjectName("patternWarning")
        save = box.addButton("&Save anyway", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Back to editing", QMessageBox.ButtonRole.RejectRole)
        # A reflexive Enter must not break the scanning of every label in the store.
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is save

    def _save_plant(self, session: AppSession, local: _LocalPart, plant: PlantSettings) -> None:
        self._runner.run(
            lambda: session.update_plant_settings(plant),
            lambda _: self._plant_saved(local, plant),
            self._plant_save_failed,
        )

    def _plant_saved(self, local: _LocalPart, plant: PlantSettings) -> None:
        if shiboken6.isValid(self):
            self._set_saving(False)
            # Should this PC's part fail, a second OK saves only that.
            self._loaded_plant, self._plant_written = plant, True
            self._save_local(local, plant, plant_changed=True)

    def _plant_save_failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._set_saving(False)
            self._show_save_error(
                "Nothing was saved: the plant settings could not be written: "
                f"{connection_failure_message(error)}"
            )

    def _save_local(
        self, local: _LocalPart, plant: PlantSettings | None, *, plant_changed: bool
    ) -> None:
        form, operator = local.connection, local.operator
        default_file = paths.default_sqlite_path().absolute()
        uses_default = form.kind == SQLITE and Path(form.sqlite_path).absolute() == default_file
        config: LocalConfig = replace(
            self._config, database_url=None if uses_default else form.url(), operator=operator
        )
        try:
            if form.kind == POSTGRESQL and not form.password:
                forget_password(form.url())  # a cleared password field means "none stored"
            save_local_config(config)  # moves the password to the secret store
        except OSError as error:
            why = f"{error.strerror or error} ({getattr(error, 'filename', '') or 'settings file'})"
            self._show_save_error(
                f"The plant settings were saved (every PC uses them now), but this PC's "
                f"settings were not: {why}. Press OK to try saving them again."
                if plant_changed
                else f"Nothing was saved: this PC's settings could not be written: {why}."
            )
            return
        self.new_database_url = form.url()
        self.database_url_changed = self.new_database_url != self._initial.url()
        self.operator_changed = operator != self._config.operator
        self.operator = operator
        self.plant_settings, self.plant_settings_changed = plant, plant_changed
        super().accept()

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        # Cancel too: closing now would leave the plant part saved and this PC's part not.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not saving)
        self.validate()

    def reject(self) -> None:
        if not self._saving:  # Esc while saving waits for the save to finish
            super().reject()

    def _show_save_error(self, text: str) -> None:
        self.save_error.setText(f"⚠ {text}")
        self.save_error.setVisible(bool(text))
