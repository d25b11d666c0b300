"""Consume litres from one batch; submits the version it loaded (optimistic locking).

Enter (or Consume) on an invalid entry shows the reason beside the field and focuses it;
litres are read in the PC's number format, and the reading is shown beside the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.errors import (
    DairyError,
    InvalidInput,
    VersionConflict,
)
from dairy_desktop.domain.liters import format_liters, parse_liters
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.sending_dialog import SendingDialog
from dairy_desktop.ui.dialogs.submit_id import SubmitId, may_have_landed
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons, secondary_button
from dairy_desktop.ui.widgets.field_errors import FieldErrors
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_decimal, plain_number
from dairy_desktop.ui.widgets.message_labels import field_error_label, message_banner
from dairy_desktop.ui.widgets.reading_label import reading_label
from dairy_desktop.ui.widgets.time_format import local_time_text

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession


class ConsumeDialog(SendingDialog):
    """Emits `batch_changed(Batch)` whenever it learns a newer state (success or conflict)."""

    batch_changed = Signal(object)
    conflict_shown = Signal(object)

    def __init__(
        self, batch: Batch, session: AppSession, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._session, self._runner = session, runner
        self.loaded = batch
        self.result_batch: Batch | None = None
        self.request = SubmitId()  # re-sent by a retry of the same submit
        self.setObjectName("consumeDialog")
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        self.scanned_banner = QLabel()
        self.scanned_banner.setObjectName("scannedBanner")
        self.scanned_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.scanned_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_font = self.scanned_banner.font()
        banner_font.setBold(True)
        banner_font.setPointSizeF(banner_font.pointSizeF() * 1.6)
        self.scanned_banner.setFont(banner_font)
        self.scanned_banner.hide()
        layout.addWidget(self.scanned_banner)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        self.stale_note = QLabel()
        self.stale_note.setWordWrap(True)
        self.stale_note.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.stale_note.hide()
        layout.addWidget(self.stale_note)

        form = QFormLayout()
        liters_row = QHBoxLayout()
        self.liters = QLineEdit()
        self.liters.setObjectName("liters")
        self.liters.setPlaceholderText("e.g. " + format_decimal(Decimal("250.5"), 1))
        self.liters_reading = reading_label("litersReading")
        self.all_button = secondary_button(QPushButton("&All remaining"))
        self.all_button.clicked.connect(self._take_all)
        liters_row.addWidget(self.liters, 1)
        liters_row.addWidget(self.liters_reading)
        liters_row.addWidget(self.all_button)
        liters_label = QLabel("&Litres:")
        liters_label.setBuddy(self.liters)
        form.addRow(liters_label, liters_row)
        self.liters_error = field_error_label("litersError")
        form.addRow("", self.liters_error)
        self.order = QLineEdit()
        self.order.setObjectName("order")
        self.order.setPlaceholderText("ORDER-20251204-1234 (optional)")
        form.addRow("&Order:", self.order)
        self.order_error = field_error_label("orderError")
        form.addRow("", self.order_error)
        layout.addLayout(form)
        self._fields = FieldErrors()
        self._fields.add("liters", self.liters, self.liters_error)
        self._fields.add("order", self.order, self.order_error)

        self.message = message_banner()
        layout.addWidget(self.message)

        self.buttons, self.submit_button = primary_buttons(self, "&Consume")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        # Litres, then the order: the form's two answers in a row; "All remaining" after.
        QWidget.setTabOrder(self.liters, self.order)
        QWidget.setTabOrder(self.order, self.all_button)
        keep_fitted(self)

        self.liters.textChanged.connect(lambda: self._fields.touch("liters"))
        self.order.textChanged.connect(lambda: self._fields.touch("order"))
        self.liters.textChanged.connect(self._validate)
        self.order.textChanged.connect(self._validate)
        # An edited form is a different change: its submit gets a new request id.
        self.liters.textChanged.connect(self.request.settle)
        self.order.textChanged.connect(self.request.settle)
        self._show_loaded()
        self.liters.setFocus()

    def show_opened_by_scan(self, code: str) -> None:
        """Name the scanned code in large bold type at the top, so the operator sees which
        label opened this dialog (and notices if it is not the batch they hold)."""
        self.scanned_banner.setText(f"Scanned: {code}")
        self.scanned_banner.show()

    # state shown
    def _show_loaded(self) -> None:
        b = self.loaded
        self.setWindowTitle(f"Consume — {b.code}")
        self.summary.setText(
            f"<b>{b.code}</b><br>Remaining: <b>{format_decimal(b.remaining_liters, 3)} L</b>"
            f" of {format_decimal(b.initial_liters, 3)} L<br>Expires: "
            f"{local_time_text(b.expires_at)}<br>Version: {b.version}"
        )
        self._validate()

    def reload_with(self, current: Batch) -> None:
        """Show the current state, keeping what the operator typed, for a re-check."""
        self.loaded = current
        self.request.settle()  # a change against the new state is a new change
        self.stale_note.hide()
        self.message.hide()
        self._show_loaded()
        if current.is_deleted:
            self._show_message(
                f"Batch {current.code} was deleted by {current.updated_by or 'someone'} on "
                f"{current.updated_workstation or 'another PC'}; nothing can be consumed from it."
            )

    def mark_out_of_date(self, current: Batch) -> None:
        """Another PC changed this batch while the dialog is open: say so before submit."""
        if current.version == self.loaded.version:
            return
        self.stale_note.setText(
            f"This batch was changed on {current.updated_workstation or 'another PC'} by "
            f"{current.updated_by or 'someone'} (now version {current.version}, "
            f"{format_decimal(current.remaining_liters, 3)} L left). Submitting will ask you to "
            "reload first."
        )
        self.stale_note.show()

    # validation as you type
    def _parsed(self) -> tuple[Decimal | None, str | None, dict[str, str]]:
        liters: Decimal | None = None
        order: str | None = None
        problems: dict[str, str] = {}
        text = self.liters.text()
        try:
            if not text.strip():
                raise InvalidInput(
                    "Enter the litres to consume (or press All remaining).", field="liters"
                )
            liters = parse_liters(plain_number(text, what="Litres", field="liters"))
            if liters > self.loaded.remaining_liters:
                problems["liters"] = (
                    f"Only {format_decimal(self.loaded.remaining_liters, 3)} L "
                    "remain in this batch."
                )
        except InvalidInput as problem:
            problems["liters"] = str(problem)
        try:
            order = validate_order_id(self.order.text())
        except InvalidInput as problem:
            problems["order"] = str(problem)
        return liters, order, problems

    def problems(self) -> dict[str, str]:
        """Each invalid field's reason ("liters", "order"); empty when the entry may be sent."""
        return self._parsed()[2]

    def _validate(self) -> None:
        liters, _order, problems = self._parsed()
        self._fields.show(problems)
        self.liters_reading.setText(f"= {format_decimal(liters, 3)} L" if liters else "")

    def _take_all(self) -> None:
        self.liters.setText(plain_decimal(self.loaded.remaining_liters, 3))
        self.liters.setFocus()

    # submit
    def submit(self) -> None:
        """Consume, or (entry invalid) show the reasons and focus the first bad field.

        A batch shown as deleted is still sent: the database is the one that knows, and
        its refusal is shown.
        """
        liters, order, problems = self._parsed()
        if not self._fields.attempt(problems) or liters is None:
            return
        self.submit_button.setEnabled(False)  # while this submit is in flight
        self._sending = True
        self.message.hide()
        session, code, version = self._session, self.loaded.code, self.loaded.version
        request_id = self.request.for_submit()
        self._runner.run(
            lambda: session.consume(
                code,
                format_liters(liters),
                order_id=order,
                expected_version=version,
                request_id=request_id,
            ),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, batch: Batch) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.request.settle()
        self.result_batch = batch
        self.batch_changed.emit(batch)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.submit_button.setEnabled(True)
        self.request.after_failure(error)
        if isinstance(error, VersionConflict):
            self.batch_changed.emit(error.current)
            self._show_conflict(error.current)
            return
        if may_have_landed(error):
            self._show_message(
                f"{error} Your entry is kept; submit again when it is back (it is recorded "
                "once, however often you submit)."
            )
            return
        if isinstance(error, DairyError):
            self._show_message(str(error))
            return
        self._show_message(f"Unexpected error: {error}. Nothing was saved.")

    def _show_conflict(self, current: Batch) -> None:
        prompt = ConflictPrompt(self.loaded, current, self)
        self.conflict_shown.emit(prompt)
        if prompt.exec() == QDialog.DialogCode.Accepted:
            self.reload_with(current)
        else:
            self.reject()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
