"""Consume litres from one batch; submits the version it loaded (optimistic locking).

Enter (or Consume) on an invalid entry shows the reason beside the field and focuses it;
litres are read in the PC's number format, and the reading is shown beside the field.

The litres the batch can give the order typed respect other orders' reservations ("30 L
reserved for ORDER-…" shown), and a warning says when an earlier-expiring consumable batch
alone has the litres (FEFO); both are read on a worker for the order typed, and are advice:
the database's guard still decides on submit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
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
from dairy_desktop.domain.fefo import Candidate
from dairy_desktop.domain.liters import (
    format_liters,
    from_milliliters,
    parse_liters,
    to_milliliters,
)
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.sending_dialog import SendingDialog
from dairy_desktop.ui.dialogs.submit_id import SubmitId, may_have_landed
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons, secondary_button
from dairy_desktop.ui.widgets.fefo_warning import fefo_warning, with_chosen
from dairy_desktop.ui.widgets.field_errors import FieldErrors
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_decimal, plain_number
from dairy_desktop.ui.widgets.message_labels import (
    field_error_label,
    message_banner,
    warning_label,
)
from dairy_desktop.ui.widgets.reading_label import reading_label
from dairy_desktop.ui.widgets.time_format import local_time_text

if TYPE_CHECKING:
    from dairy_desktop.services.consume_fefo_check import BatchForOrder
    from dairy_desktop.services.session import AppSession

# How long the order may pause before what the batch can give it is read again.
ORDER_CHECK_DELAY_MS = 250


def _batch_for_order(session: AppSession, code: str, order: str | None) -> BatchForOrder | None:
    """On the worker: the batch's reservations and the earlier-expiring batches, for
    `order` (the services' view; loaded on first use, as this dialog is)."""
    from dairy_desktop.services.consume_fefo_check import batch_for_order

    return batch_for_order(session.database, code, order, now=session.now())


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
        # Other orders' reservations on this batch: litres left but not this order's.
        self.reserved_note = QLabel()
        self.reserved_note.setObjectName("reservedNote")
        self.reserved_note.setWordWrap(True)
        self.reserved_note.hide()
        layout.addWidget(self.reserved_note)
        self._for_order: BatchForOrder | None = None  # read for the order typed
        self._checks = 0  # reads asked for; only the latest one's answer is shown

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

        self.fefo_warning = warning_label("fefoWarning")
        layout.addWidget(self.fefo_warning)
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
        self._order_timer = QTimer(self)
        self._order_timer.setSingleShot(True)
        self._order_timer.setInterval(ORDER_CHECK_DELAY_MS)
        self._order_timer.timeout.connect(self.refresh_for_order)
        self.order.textChanged.connect(lambda _text: self._order_timer.start())
        self._show_loaded()
        self.refresh_for_order()
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
        self.refresh_for_order()  # its reservations may have changed with it
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
            elif (available := self._available_ml()) is not None and (
                to_milliliters(liters) > available
            ):
                problems["liters"] = (
                    f"Only {format_decimal(from_milliliters(available), 3)} L of this batch "
                    f"are available: {self._reserved_text()}."
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
        self._show_fefo_warning(liters)

    # reservations and FEFO, read for the order typed
    def refresh_for_order(self) -> None:
        """Read (on the worker) what this batch can give the order typed, and the batches
        expiring before it; a malformed order waits until it is one."""
        self._order_timer.stop()
        try:
            order = validate_order_id(self.order.text())
        except InvalidInput:
            return
        self._checks += 1
        checks, session, code = self._checks, self._session, self.loaded.code
        self._runner.run(
            lambda: _batch_for_order(session, code, order),
            lambda found: self._for_order_came(checks, found),
            lambda _error: None,  # advice only: the database still decides on submit
        )

    def _for_order_came(self, checks: int, found: BatchForOrder | None) -> None:
        if not shiboken6.isValid(self) or checks != self._checks:
            return
        self._for_order = found
        others = self._reserved_text()
        self.reserved_note.setText(
            f"{others}: {format_decimal(from_milliliters(self._available_ml() or 0), 3)} L "
            "available to this order."
            if others
            else ""
        )
        self.reserved_note.setVisible(bool(others))
        self._validate()

    def _available_ml(self) -> int | None:
        """The litres this batch can give the order typed (None: not known yet)."""
        found = self._for_order
        return None if found is None else min(found.available_ml, self.loaded.remaining_ml)

    def _reserved_text(self) -> str:
        """ "30.000 L reserved for ORDER-A, ORDER-B" ("" when none is for another order)."""
        found = self._for_order
        if found is None:
            return ""
        others = found.reserved_for_others
        reserved = sum(r.reserved_ml for r in others)
        if reserved <= 0:
            return ""
        orders = ", ".join(sorted({r.order_id for r in others}))
        return f"{format_decimal(from_milliliters(reserved), 3)} L reserved for {orders}"

    def _show_fefo_warning(self, liters: Decimal | None) -> None:
        found, b = self._for_order, self.loaded
        warning = ""
        if found is not None and liters is not None:
            chosen = Candidate(b.code, found.available_ml, b.expires_at, b.received_at, b.version)
            candidates = with_chosen(chosen, found.earlier)
            warning = fefo_warning([(b.code, to_milliliters(liters))], candidates)
        self.fefo_warning.setText(warning)
        self.fefo_warning.setVisible(bool(warning))

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
