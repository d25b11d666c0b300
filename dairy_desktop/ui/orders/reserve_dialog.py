"""Reserve for order…: set litres aside for an order to use on a plant day.

The operator types the order, the litres and the day; FEFO's proposal (batches still in
date when that day is over, never other orders' reserved litres) is fetched on a worker
once typing pauses and shown before Reserve. Reserve asks the database to follow FEFO in
one transaction, all or nothing; if the stock moved since the proposal the database's
own plan is what is reserved, and a refusal (short stock, a plan that no longer holds)
is shown with the proposal as it is now, the dialog kept open and nothing written.
"""

from __future__ import annotations

from datetime import date, tzinfo
from decimal import Decimal

import shiboken6
from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.errors import DairyError, InvalidInput, NotEnoughStock, PlanNoLongerHolds
from dairy_desktop.domain.liters import format_liters, from_milliliters, parse_liters
from dairy_desktop.services.orders_pick import OrderPick
from dairy_desktop.services.orders_reserve import OrderReserved
from dairy_desktop.ui.dialogs.sending_dialog import SendingDialog
from dairy_desktop.ui.dialogs.submit_id import SubmitId, may_have_landed
from dairy_desktop.ui.orders.order_calls import OrderCalls
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons
from dairy_desktop.ui.widgets.field_errors import FieldErrors
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_number
from dairy_desktop.ui.widgets.message_labels import field_error_label, message_banner
from dairy_desktop.ui.widgets.reading_label import reading_label
from dairy_desktop.ui.widgets.time_format import local_time_text

PROPOSAL_DELAY_MS = 250


def describe_pick(pick: OrderPick) -> str:
    """The proposal in lines of text, one batch a line, and what is short."""
    lines = [
        f"{line.code}: {format_decimal(line.liters, 3)} L (expires "
        f"{local_time_text(line.expires_at)})"
        for line in pick.lines
    ]
    if not pick.covered:
        lines.append(
            f"Short by {format_decimal(pick.short_by, 3)} L: not enough milk in date that day."
        )
    return "\n".join(lines) or "No batch can give these litres."


class ReserveDialog(SendingDialog):
    """`reserved(OrderReserved)` once the litres are set aside; `proposal_shown` whenever a
    proposal was shown (tests wait for it)."""

    reserved = Signal(object)
    proposal_shown = Signal()

    def __init__(
        self,
        calls: OrderCalls,
        runner: TaskRunner,
        zone: tzinfo,
        parent: QWidget | None = None,
        *,
        delay_ms: int = PROPOSAL_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._calls, self._runner = calls, runner
        self.request = SubmitId()
        self._asked = 0
        self.setObjectName("reserveDialog")
        self.setWindowTitle("Reserve for order")
        self.setMinimumWidth(480)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.order = QLineEdit()
        self.order.setObjectName("order")
        self.order.setPlaceholderText("ORDER-20251204-1234")
        form.addRow(self._caption("&Order:", self.order), self.order)
        self.order_error = field_error_label("orderError")
        form.addRow("", self.order_error)
        liters_row = QHBoxLayout()
        self.liters = QLineEdit()
        self.liters.setObjectName("liters")
        self.liters.setPlaceholderText("e.g. " + format_decimal(Decimal("1250.5"), 1))
        self.liters_reading = reading_label("litersReading")
        liters_row.addWidget(self.liters, 1)
        liters_row.addWidget(self.liters_reading)
        form.addRow(self._caption("&Litres:", self.liters), liters_row)
        self.liters_error = field_error_label("litersError")
        form.addRow("", self.liters_error)
        today = utc_now().astimezone(zone).date()  # the plant's day, not this PC's
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setObjectName("day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMinimumDate(QDate(today.year, today.month, today.day))
        form.addRow(self._caption("&For day:", self.day), self.day)
        self.day_error = field_error_label("forError")
        form.addRow("", self.day_error)
        layout.addLayout(form)
        self._fields = FieldErrors()
        self._fields.add("order", self.order, self.order_error)
        self._fields.add("liters", self.liters, self.liters_error)
        self._fields.add("for", self.day, self.day_error)

        layout.addWidget(QLabel("<b>Proposed (first expiring first):</b>"))
        self.proposal = QLabel("Enter the order, the litres and the day.")
        self.proposal.setObjectName("proposal")
        self.proposal.setWordWrap(True)
        layout.addWidget(self.proposal)
        self.message = message_banner()
        layout.addWidget(self.message)
        self.buttons, self.submit_button = primary_buttons(self, "&Reserve")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh_proposal)
        self.order.textChanged.connect(lambda _t: self._edited("order"))
        self.liters.textChanged.connect(lambda _t: self._edited("liters"))
        self.day.dateChanged.connect(lambda _d: self._edited("for"))
        self.order.setFocus()

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def planned_for(self) -> date:
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _parsed(self) -> tuple[str | None, Decimal | None, dict[str, str]]:
        problems: dict[str, str] = {}
        order: str | None = None
        liters: Decimal | None = None
        try:
            order = validate_order_id(self.order.text())
            if order is None:
                problems["order"] = "Enter (or scan) the order the litres are for."
        except InvalidInput as problem:
            problems["order"] = str(problem)
        try:
            if not self.liters.text().strip():
                raise InvalidInput("Enter the litres to set aside.", field="liters")
            liters = parse_liters(plain_number(self.liters.text(), what="Litres", field="liters"))
        except InvalidInput as problem:
            problems["liters"] = str(problem)
        return order, liters, problems

    def _edited(self, key: str) -> None:
        self._fields.touch(key)
        self.request.settle()
        _order, liters, problems = self._parsed()
        self._fields.show(problems)
        self.liters_reading.setText(f"= {format_decimal(liters, 3)} L" if liters else "")
        if not problems:
            self.proposal.setText("Finding the batches…")
            self._timer.start()

    def refresh_proposal(self) -> None:
        self._timer.stop()
        order, liters, problems = self._parsed()
        if problems or order is None or liters is None:
            return
        self._asked += 1
        asked, calls, day, text = (
            self._asked,
            self._calls,
            self.planned_for(),
            format_liters(liters),
        )
        self._runner.run(
            lambda: calls.reserve_proposal(order, text, day),
            lambda pick: self._proposal_came(asked, pick),
            lambda error: self._proposal_came(asked, error),
        )

    def _proposal_came(self, asked: int, outcome: object) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return
        if isinstance(outcome, OrderPick):
            self.proposal.setText(describe_pick(outcome))
        elif isinstance(outcome, InvalidInput) and outcome.field in ("order", "liters", "for"):
            self._fields.show_one(outcome.field, str(outcome))
            self.proposal.setText("No proposal: see the field marked.")
        else:
            self.proposal.setText(f"No proposal: {outcome}")
        self.proposal_shown.emit()

    def submit(self) -> None:
        if self._sending:
            return
        order, liters, problems = self._parsed()
        if not self._fields.attempt(problems) or order is None or liters is None:
            return
        calls, day, text = self._calls, self.planned_for(), format_liters(liters)
        request_id = self.request.for_submit()
        self._sending = True
        self.submit_button.setEnabled(False)
        self.message.hide()
        self._runner.run(
            lambda: calls.reserve(order, text, day, request_id=request_id),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, reserved: OrderReserved) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self.request.settle()
        self.reserved.emit(reserved)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        self.submit_button.setEnabled(True)
        self.request.after_failure(error)
        if may_have_landed(error):
            self._show(f"{error} Your entry is kept; press Reserve again (recorded once).")
            return
        proposal = getattr(error, "proposal", None)
        if isinstance(error, PlanNoLongerHolds | NotEnoughStock) and isinstance(
            proposal, OrderPick
        ):
            self.proposal.setText(describe_pick(proposal))
        if isinstance(error, InvalidInput) and error.field in ("order", "liters", "for"):
            self._fields.show_one(error.field, str(error))
        self._show(str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}")

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


def reserved_summary(reserved: OrderReserved) -> str:
    """ "ORDER-… : 120.000 L for 2025-12-05 from 2 batches" (and which are at risk)."""
    count = len(reserved.lines)
    text = (
        f"{reserved.order_id}: {format_decimal(from_milliliters(reserved.wanted_ml), 3)} L "
        f"reserved for {reserved.planned_for} from {count} batch{'es' if count != 1 else ''}"
    )
    risky = [line.changed.batch.code for line in reserved.lines if line.risk]
    return text + (f"; at risk: {', '.join(risky)}" if risky else "")
