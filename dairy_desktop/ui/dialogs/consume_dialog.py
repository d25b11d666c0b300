"""Consume litres from one batch; submits the version it loaded (optimistic locking)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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
from dairy_desktop.ui.dialogs.submit_id import SubmitId, may_have_landed
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, normalise_decimal, plain_decimal
from dairy_desktop.ui.widgets.message_labels import field_error_label, message_banner
from dairy_desktop.ui.widgets.time_format import local_time_text

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession


class ConsumeDialog(QDialog):
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
        self.all_button = QPushButton("&All remaining")
        self.all_button.setAutoDefault(False)
        self.all_button.clicked.connect(self._take_all)
        liters_row.addWidget(self.liters, 1)
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

        self.message = message_banner()
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.submit_button = self.buttons.addButton(
            "&Consume", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.submit_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.liters.textChanged.connect(self._validate)
        self.order.textChanged.connect(self._validate)
        # An edited form is a different change: its submit gets a new request id.
        self.liters.textChanged.connect(self.request.settle)
        self.order.textChanged.connect(self.request.settle)
        self._show_loaded()
        self.liters.setFocus()

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
    def _parsed(self) -> tuple[Decimal | None, str | None, str, str]:
        liters: Decimal | None = None
        liters_problem = order_problem = ""
        order: str | None = None
        text = self.liters.text()
        if text.strip():
            try:
                liters = parse_liters(normalise_decimal(text))
                if liters > self.loaded.remaining_liters:
                    liters_problem = (
                        f"Only {format_decimal(self.loaded.remaining_liters, 3)} L "
                        "remain in this batch."
                    )
            except InvalidInput as problem:
                liters_problem = str(problem)
        try:
            order = validate_order_id(self.order.text())
        except InvalidInput as problem:
            order_problem = str(problem)
        return liters, order, liters_problem, order_problem

    def _validate(self) -> None:
        liters, _order, liters_problem, order_problem = self._parsed()
        self.liters_error.setText(liters_problem)
        self.liters_error.setVisible(bool(liters_problem))
        self.order_error.setText(order_problem)
        self.order_error.setVisible(bool(order_problem))
        usable = not self.loaded.is_deleted
        self.submit_button.setEnabled(
            usable and liters is not None and not liters_problem and not order_problem
        )

    def _take_all(self) -> None:
        self.liters.setText(plain_decimal(self.loaded.remaining_liters, 3))
        self.liters.setFocus()

    # submit
    def submit(self) -> None:
        liters, order, liters_problem, order_problem = self._parsed()
        if liters is None or liters_problem or order_problem:
            return
        self.submit_button.setEnabled(False)
        self.message.hide()
        code, version = self.loaded.code, self.loaded.version
        request_id = self.request.for_submit()
        self._runner.run(
            lambda: self._session.consume(
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
        self.request.settle()
        self.result_batch = batch
        self.batch_changed.emit(batch)
        self.accept()

    def _failed(self, error: BaseException) -> None:
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
