"""Register a delivery: every field validated as you type, with the reason beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
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
from dairy_desktop.domain.liters import format_liters, parse_liters
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.ui.dialogs.submit_id import SubmitId
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.locale_decimal import normalise_decimal, plain_decimal
from dairy_desktop.ui.widgets.message_labels import field_error_label, message_banner
from dairy_desktop.ui.widgets.time_format import local_time_text

if TYPE_CHECKING:
    from dairy_desktop.services.register import Registered
    from dairy_desktop.services.session import AppSession

DEFAULT_SHELF_LIFE_DAYS = 5


class RegisterDialog(QDialog):
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
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.errors: dict[str, QLabel] = {}

        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText("e.g. SCH-20251204-0001")
        self._add(form, "&Code:", self.code, "code")

        self.received = QDateTimeEdit()
        self.received.setObjectName("received")
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        # Now by the database server's clock (PostgreSQL decides expiry by it), not the PC's.
        self._show_received(session.now())
        self._add(form, "&Received:", self.received, "received")

        self.shelf_life = QSpinBox()
        self.shelf_life.setObjectName("shelfLife")
        self.shelf_life.setRange(MIN_SHELF_LIFE_DAYS, MAX_SHELF_LIFE_DAYS)
        self.shelf_life.setValue(DEFAULT_SHELF_LIFE_DAYS)
        self.shelf_life.setSuffix(" days")
        self._add(form, "&Shelf life:", self.shelf_life, "shelf_life")

        self.liters = QLineEdit()
        self.liters.setObjectName("liters")
        self.liters.setPlaceholderText("e.g. 4200.5")
        self._add(form, "&Litres:", self.liters, "liters")

        self.fat = QLineEdit()
        self.fat.setObjectName("fat")
        self.fat.setPlaceholderText("optional, e.g. 3.8")
        self._add(form, "&Fat %:", self.fat, "fat")

        self.expiry_preview = QLabel()
        self.expiry_preview.setObjectName("expiryPreview")
        form.addRow("Expires:", self.expiry_preview)
        layout.addLayout(form)

        self.print_label = QCheckBox("&Print label after registering")
        self.print_label.setObjectName("printLabel")
        layout.addWidget(self.print_label)

        self.message = message_banner()
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton("&Register", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for widget in (self.code, self.liters, self.fat):
            widget.textChanged.connect(self.validate)
            widget.textChanged.connect(self.request.settle)
        self.received.dateTimeChanged.connect(self.validate)
        self.shelf_life.valueChanged.connect(self.validate)
        # An edited form is a different delivery: its submit gets a new request id.
        self.received.dateTimeChanged.connect(self.request.settle)
        self.shelf_life.valueChanged.connect(self.request.settle)
        self.validate()

    def _show_received(self, moment: datetime) -> None:
        # The editor shows plain wall-clock numbers, read as the plant's local time.
        local = moment.astimezone(self._settings.zone).replace(tzinfo=None, second=0, microsecond=0)
        self.received.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def _add(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        form.addRow(label, widget)
        error = field_error_label(f"{key}Error")
        form.addRow("", error)
        self.errors[key] = error

    def prefill(
        self,
        *,
        code: str | None = None,
        liters: Decimal | None = None,
        shelf_life_days: int | None = None,
        received: datetime | None = None,
    ) -> None:
        """Fill what a scanned label carried; the operator checks and completes the rest."""
        if code is not None:
            self.code.setText(code)
        if liters is not None:
            self.liters.setText(plain_decimal(liters, 3).rstrip("0").rstrip(".,"))
        if received is not None:
            self._show_received(received)
        if shelf_life_days is not None:
            self.shelf_life.setValue(
                max(MIN_SHELF_LIFE_DAYS, min(MAX_SHELF_LIFE_DAYS, shelf_life_days))
            )
        self.validate()

    def show_scan_warnings(self, problems: tuple[str, ...]) -> None:
        """What a scanned label got wrong stays visible while the operator checks it."""
        self.message.setText("Check the scanned label: " + " ".join(problems))
        self.message.show()

    def received_at(self) -> datetime:
        wall_clock: datetime = self.received.dateTime().toPython()  # type: ignore[assignment]
        return wall_clock.replace(tzinfo=self._settings.zone)

    def _problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        checks: dict[str, Callable[[], object]] = {
            "code": lambda: validate_batch_code(self.code.text(), self._settings.code_pattern),
            "liters": lambda: parse_liters(normalise_decimal(self.liters.text())),
            "fat": lambda: parse_fat_percent(normalise_decimal(self.fat.text())),
        }
        for key, check in checks.items():
            try:
                check()
            except InvalidInput as problem:
                problems[key] = str(problem)
        if self.received_at() > self._session.now() + MAX_RECEIVED_AHEAD:
            problems["received"] = "The received time is in the future; check the date and time."
        return problems

    def validate(self) -> bool:
        problems = self._problems()
        for key, label in self.errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
        expires = compute_expiry(self.received_at(), self.shelf_life.value())
        already = (
            " — already expired: it will be recorded but cannot be used"
            if (expires <= self._session.now())
            else ""
        )
        self.expiry_preview.setText(local_time_text(expires) + already)
        self.ok_button.setEnabled(not problems)
        return not problems

    def submit(self) -> None:
        if not self.validate():
            return
        self.ok_button.setEnabled(False)
        self.message.hide()
        session = self._session
        code = self.code.text().strip()
        liters = format_liters(parse_liters(normalise_decimal(self.liters.text())))
        shelf_life_days = self.shelf_life.value()
        received_at = self.received_at()
        fat_percent = normalise_decimal(self.fat.text()) or None
        request_id = self.request.for_submit()
        self._runner.run(
            lambda: session.register(
                code=code,
                liters=liters,
                shelf_life_days=shelf_life_days,
                received_at=received_at,
                fat_percent=fat_percent,
                request_id=request_id,
            ),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, result: Registered) -> None:
        self.request.settle()
        self.registration = result
        self.registered.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.request.after_failure(error)
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        self.message.setText(text)
        self.message.show()
        if isinstance(error, InvalidInput) and error.field in self.errors:
            self.errors[error.field].setText(str(error))
            self.errors[error.field].show()
