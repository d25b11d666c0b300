"""Register a delivery: every field checked as you type, with the reason beside it.

A field's reason shows once that field was edited (or filled from a scan), or once Register
(or Enter) was pressed; pressing it on an invalid form shows every reason and focuses the
first bad field. Litres, fat and the receipt temperature are read in the PC's number format,
and the reading is shown beside the field ("= 1,000.000 L"). The intake (supplier, tanker,
seal, temperature) is optional; a temperature above the plant's limit is flagged beside the
field but never refused: the milk is there, and QA decides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import (
    MAX_RECEIVED_AHEAD,
    MAX_SHELF_LIFE_DAYS,
    MIN_SHELF_LIFE_DAYS,
    compute_expiry,
)
from dairy_desktop.domain.codes import validate_batch_code
from dairy_desktop.domain.errors import DairyError, InvalidInput
from dairy_desktop.domain.fat import parse_fat_percent
from dairy_desktop.domain.intake import format_temperature, intake, is_over_limit, parse_temperature
from dairy_desktop.domain.liters import format_liters, parse_liters
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.ui.dialogs.sending_dialog import SendingDialog
from dairy_desktop.ui.dialogs.submit_id import SubmitId
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.date_time_field import DateTimeField
from dairy_desktop.ui.widgets.day_spin_box import DaySpinBox
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons
from dairy_desktop.ui.widgets.field_errors import FieldErrors
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_decimal, plain_number
from dairy_desktop.ui.widgets.message_labels import (
    WARNING_STYLE,
    field_error_label,
    message_banner,
    warning_label,
)
from dairy_desktop.ui.widgets.reading_label import reading_label
from dairy_desktop.ui.widgets.time_format import local_time_text

if TYPE_CHECKING:
    from dairy_desktop.services.register import Registered
    from dairy_desktop.services.session import AppSession

DEFAULT_SHELF_LIFE_DAYS = 5


def _day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"  # 22 Nov 2026: no day/month order to misread


class RegisterDialog(SendingDialog):
    registered = Signal(object)

    def __init__(
        self,
        settings: PlantSettings,
        session: AppSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings, self._session, self._runner = settings, session, runner
        self.registration: Registered | None = None
        self.request = SubmitId()  # re-sent by a retry of the same submit
        self.setWindowTitle("Register delivery")
        self.setObjectName("registerDialog")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self._fields = FieldErrors()

        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("e.g. SCH-20251204-0001")
        self._add(form, "Co&de:", self.code, "code")

        self.received = DateTimeField()
        self.received.setObjectName("received")
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        # Now by the database server's clock (PostgreSQL decides expiry by it), not the PC's.
        self._show_received(session.now())
        self._add(form, "Recei&ved:", self.received, "received")

        self.shelf_life = DaySpinBox(MIN_SHELF_LIFE_DAYS, MAX_SHELF_LIFE_DAYS)
        self.shelf_life.setObjectName("shelfLife")
        self.shelf_life.choose(DEFAULT_SHELF_LIFE_DAYS)
        self._add(form, "&Shelf life:", self.shelf_life, "shelf_life")
        self.label_note = QLabel()
        self.label_note.setObjectName("labelNote")
        self.label_note.setWordWrap(True)
        self.label_note.hide()
        form.addRow(self.label_note)

        self.liters = QLineEdit()
        self.liters.setObjectName("liters")
        self.liters.setPlaceholderText("e.g. " + format_decimal(Decimal("4200.5"), 1))
        self.liters_reading = reading_label("litersReading")
        self._add(form, "&Litres:", self.liters, "liters", self.liters_reading)

        self.fat = QLineEdit()
        self.fat.setObjectName("fat")
        self.fat.setPlaceholderText("optional, e.g. " + format_decimal(Decimal("3.8"), 1))
        self.fat_reading = reading_label("fatReading")
        self._add(form, "&Fat %:", self.fat, "fat", self.fat_reading)

        self.supplier = QComboBox()
        self.supplier.setObjectName("supplier")
        self.supplier.setEditable(True)  # a supplier not on the plant's list is typed in
        self.supplier.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.supplier.addItems(list(settings.supplier_list))
        self.supplier.setCurrentIndex(-1)
        self.supplier.setEditText("")
        supplier_edit = self.supplier.lineEdit()
        assert supplier_edit is not None  # an editable combo box has one
        supplier_edit.setPlaceholderText("optional: pick or type the supplier")
        self._add(form, "S&upplier:", self.supplier, "supplier")

        self.tanker = QLineEdit()
        self.tanker.setObjectName("tanker")
        self.tanker.setPlaceholderText("optional, e.g. TRL-4471")
        self._add(form, "&Tanker:", self.tanker, "tanker")
        self.seal = QLineEdit()
        self.seal.setObjectName("seal")
        self.seal.setPlaceholderText("optional, e.g. 0098812")
        self._add(form, "S&eal:", self.seal, "seal")

        self.temperature = QLineEdit()
        self.temperature.setObjectName("temperature")
        self.temperature.setPlaceholderText("optional, e.g. " + format_decimal(Decimal("4.5"), 1))
        self.temperature_reading = reading_label("temperatureReading")
        self._add(
            form, "Te&mperature °C:", self.temperature, "temperature", self.temperature_reading
        )
        self.warm_note = warning_label("warmNote")
        form.addRow("", self.warm_note)

        self.expiry_preview = QLabel()
        self.expiry_preview.setObjectName("expiryPreview")
        form.addRow("Expires:", self.expiry_preview)
        layout.addLayout(form)

        self.print_label = QCheckBox("&Print label after registering")
        self.print_label.setObjectName("printLabel")
        layout.addWidget(self.print_label)

        self.message = message_banner()
        layout.addWidget(self.message)

        self.buttons, self.ok_button = primary_buttons(self, "&Register")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        keep_fitted(self)

        edits: dict[str, Callable[[Callable[..., object]], object]] = {
            "code": self.code.textChanged.connect,
            "liters": self.liters.textChanged.connect,
            "fat": self.fat.textChanged.connect,
            "received": self.received.dateTimeChanged.connect,
            "shelf_life": self.shelf_life.valueChanged.connect,
            "supplier": self.supplier.editTextChanged.connect,
            "tanker": self.tanker.textChanged.connect,
            "seal": self.seal.textChanged.connect,
            "temperature": self.temperature.textChanged.connect,
        }
        for key, on_change in edits.items():
            on_change(lambda *_args, key=key: self._fields.touch(key))
            on_change(lambda *_args: self.validate())
            # An edited form is a different delivery: its submit gets a new request id.
            on_change(lambda *_args: self.request.settle())
        self.validate()

    @property
    def errors(self) -> dict[str, QLabel]:
        """Each field's reason label, by field name (code, received, shelf_life, liters, fat)."""
        return self._fields.labels()

    def _show_received(self, moment: datetime) -> None:
        # The editor shows plain wall-clock numbers, read as the plant's local time.
        local = moment.astimezone(self._settings.zone).replace(tzinfo=None, second=0, microsecond=0)
        self.received.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def _add(
        self,
        form: QFormLayout,
        label: str,
        widget: QWidget,
        key: str,
        beside: QWidget | None = None,
    ) -> None:
        caption = QLabel(label)
        caption.setBuddy(widget)  # Alt+letter goes to the field
        if beside is None:
            form.addRow(caption, widget)
        else:
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            row.addWidget(beside)
            form.addRow(caption, row)
        error = field_error_label(f"{key}Error")
        form.addRow("", error)
        self._fields.add(key, widget, error)

    def prefill(
        self,
        *,
        code: str | None = None,
        liters: Decimal | None = None,
        shelf_life_days: int | None = None,
        received: datetime | None = None,
        label_expiry: date | None = None,
        label_expiry_time: time | None = None,
    ) -> None:
        """Fill what a scanned label carried; the operator checks and completes the rest.

        `label_expiry` is the label's expiry date. Before the received day (plant time), on
        it, or more than the longest shelf life after it, no shelf life is filled in: a
        warning names the label's date and the operator must choose one. Otherwise, when
        `shelf_life_days` is None, the shelf life is counted from it. `label_expiry_time`
        (AI 7003's hour, plant time) earlier in the day than the received time takes a day
        off, so the expiry stored is never after the label's.
        """
        if code is not None:
            self.code.setText(code)
        if liters is not None:
            self.liters.setText(plain_decimal(liters, 3).rstrip("0").rstrip(".,"))
        if received is not None:
            self._show_received(received)
        if label_expiry is not None:
            shelf_life_days = self._shelf_life_from_label(
                label_expiry, shelf_life_days, label_expiry_time
            )
        if shelf_life_days is not None:
            self.shelf_life.choose(shelf_life_days)
        self.validate()

    def _shelf_life_from_label(
        self, expiry: date, given: int | None, expiry_time: time | None = None
    ) -> int | None:
        received = self.received_at()
        received_day = received.date()
        days = (expiry - received_day).days
        if expiry_time is not None and days > 0 and expiry_time < received.time():
            days -= 1  # received + days would pass the label's hour: a day less
        if days < 0:
            self._warn_about_label(
                f"The label says this milk expired on {_day_text(expiry)}, before it was "
                f"received ({_day_text(received_day)}). Check the label: choose the shelf "
                "life yourself only if you know it, otherwise cancel."
            )
            return None
        if days < MIN_SHELF_LIFE_DAYS:
            self._warn_about_label(
                f"The label says this milk expires on {_day_text(expiry)}, the day it was "
                f"received; the shortest shelf life is {MIN_SHELF_LIFE_DAYS} day. Choose the "
                "shelf life yourself only if you know it, otherwise cancel."
            )
            return None
        if days > MAX_SHELF_LIFE_DAYS:
            self._warn_about_label(
                f"The label's expiry date, {_day_text(expiry)}, is {days} days after it was "
                f"received; the longest shelf life is {MAX_SHELF_LIFE_DAYS} days. Check the "
                "label and choose the shelf life."
            )
            return None
        self.label_note.hide()
        return days if given is None else given

    def _warn_about_label(self, text: str) -> None:
        self.label_note.setText(text)
        self.label_note.setStyleSheet(WARNING_STYLE)
        self.label_note.show()
        self.shelf_life.clear_choice()
        self._fields.touch("shelf_life")

    def show_scan_warnings(self, problems: tuple[str, ...]) -> None:
        """What a scanned label got wrong stays visible while the operator checks it."""
        self.message.setText("Check the scanned label: " + " ".join(problems))
        self.message.show()

    def received_at(self) -> datetime:
        wall_clock: datetime = self.received.dateTime().toPython()  # type: ignore[assignment]
        return wall_clock.replace(tzinfo=self._settings.zone)

    def _liters(self) -> Decimal:
        if not self.liters.text().strip():  # the example in this PC's number format
            example = format_decimal(Decimal("4200.5"), 1)
            raise InvalidInput(f"Litres are missing: enter a number such as {example}.")
        return parse_liters(plain_number(self.liters.text(), what="Litres", field="liters"))

    def _fat(self) -> Decimal | None:
        typed = self.fat.text().strip().removesuffix("%")
        return parse_fat_percent(plain_number(typed, what="Fat %", field="fat") or None)

    def _temperature_deci(self) -> int | None:
        """The receipt temperature typed, in tenths of °C (None: not measured)."""
        typed = self.temperature.text().strip().removesuffix("°C").removesuffix("C").strip()
        plain = plain_number(typed, what="Temperature", field="temperature")
        return parse_temperature(plain or None)

    def _intake_texts(self) -> dict[str, str | None]:
        """Supplier, tanker and seal as typed (blank: not recorded)."""
        return {
            "supplier": self.supplier.currentText().strip() or None,
            "tanker": self.tanker.text().strip() or None,
            "seal": self.seal.text().strip() or None,
        }

    def problems(self) -> dict[str, str]:
        """Each invalid field's reason, by field name; empty when the form may be sent."""
        problems: dict[str, str] = {}
        texts = self._intake_texts()
        checks: dict[str, Callable[[], object]] = {
            "code": lambda: validate_batch_code(self.code.text(), self._settings.code_pattern),
            "liters": self._liters,
            "fat": self._fat,
            "supplier": lambda: intake(supplier=texts["supplier"]),
            "tanker": lambda: intake(tanker=texts["tanker"]),
            "seal": lambda: intake(seal=texts["seal"]),
            "temperature": self._temperature_deci,
        }
        for key, check in checks.items():
            try:
                check()
            except InvalidInput as problem:
                problems[key] = str(problem)
        if self.received_at() > self._session.now() + MAX_RECEIVED_AHEAD:
            problems["received"] = "The received time is in the future; check the date and time."
        if self.shelf_life.chosen() is None:
            problems["shelf_life"] = "Choose the shelf life (days from receipt to expiry)."
        return problems

    def validate(self) -> bool:
        problems = self.problems()
        self._fields.show(problems)
        self._show_readings(problems)
        days = self.shelf_life.chosen()
        if days is None:
            self.expiry_preview.setText("— (choose the shelf life)")
        else:
            expires = compute_expiry(self.received_at(), days)
            already = (
                " — already expired: it will be recorded but cannot be used"
                if (expires <= self._session.now())
                else ""
            )
            self.expiry_preview.setText(local_time_text(expires) + already)
        return not problems

    def _show_readings(self, problems: dict[str, str]) -> None:
        liters = None if "liters" in problems else self._liters()
        self.liters_reading.setText(f"= {format_decimal(liters, 3)} L" if liters else "")
        fat = None if "fat" in problems else self._fat()
        self.fat_reading.setText(f"= {format_decimal(fat, 2)} %" if fat is not None else "")
        deci = None if "temperature" in problems else self._temperature_deci()
        self.temperature_reading.setText(
            "" if deci is None else f"= {format_decimal(Decimal(deci) / 10, 1)} °C"
        )
        limit = self._settings.temperature_limit_deci
        warm = is_over_limit(deci, limit)
        self.warm_note.setText(
            f"⚠ Above the plant's limit of {format_decimal(Decimal(limit) / 10, 1)} °C: the "
            "delivery is recorded and flagged for QA to judge."
            if warm
            else ""
        )
        self.warm_note.setVisible(warm)

    def submit(self) -> None:
        """Register, or (form invalid) show every reason and focus the first bad field."""
        problems = self.problems()
        self._show_readings(problems)
        if not self._fields.attempt(problems):
            return
        days = self.shelf_life.chosen()
        assert days is not None  # checked by problems()
        self.ok_button.setEnabled(False)  # while this submit is in flight
        self._sending = True
        self.message.hide()
        session = self._session
        code = self.code.text().strip()
        liters = format_liters(self._liters())
        received_at = self.received_at()
        fat = self._fat()
        fat_percent = None if fat is None else f"{fat:f}"
        texts = self._intake_texts()
        deci = self._temperature_deci()
        temperature = None if deci is None else format_temperature(deci)
        request_id = self.request.for_submit()
        self._runner.run(
            lambda: session.register(
                code=code,
                liters=liters,
                shelf_life_days=days,
                received_at=received_at,
                fat_percent=fat_percent,
                supplier=texts["supplier"],
                tanker=texts["tanker"],
                seal=texts["seal"],
                temperature=temperature,
                request_id=request_id,
            ),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, result: Registered) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.request.settle()
        self.registration = result
        self.registered.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.ok_button.setEnabled(True)
        self.request.after_failure(error)
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        self.message.setText(text)
        self.message.show()
        if isinstance(error, InvalidInput) and error.field in self.errors:
            self._fields.show_one(error.field, str(error))
