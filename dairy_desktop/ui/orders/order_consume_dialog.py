"""Consume for order…: take an order's litres from one or more batches, all or nothing.

The operator types (or scans) the order and the litres; FEFO's proposal is fetched on a
worker shortly after they stop typing and shown as an editable split: which batches,
when each expires (plant time), what each can give this order, and the litres to take.
A batch can be added or removed and any line's litres changed. The split must add up to
the litres asked before Consume is enabled (the line under the table says why not); a
warning says when a later-expiring batch is chosen while an earlier one alone has enough.

Consume sends every line with the version it was proposed at, in one transaction
(services.orders_consume). If the plan no longer holds by then (a batch changed, was
held, expired), nothing is written: the reason is shown, the new proposal replaces the
split, and the dialog stays open. One request id per dialog: a resend after a lost reply
is recorded once; an edited entry is a new change.

Enter consumes when the split is ready; before the proposal for what was typed has come,
Enter fetches it and asks to check it first (milk is never taken from batches the
operator has not seen). Escape cancels.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.errors import DairyError, InvalidInput, NotEnoughStock, PlanNoLongerHolds
from dairy_desktop.domain.fefo import Candidate
from dairy_desktop.domain.liters import (
    format_liters,
    from_milliliters,
    parse_liters,
    to_milliliters,
)
from dairy_desktop.services.orders_consume import OrderConsumed
from dairy_desktop.services.orders_pick import OrderPick
from dairy_desktop.ui.dialogs.sending_dialog import SendingDialog
from dairy_desktop.ui.dialogs.submit_id import SubmitId, may_have_landed
from dairy_desktop.ui.orders.order_calls import OrderCalls, Proposal
from dairy_desktop.ui.orders.split_model import COL_TAKE, SplitLine, SplitModel
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons, secondary_button
from dairy_desktop.ui.widgets.fefo_warning import fefo_warning
from dairy_desktop.ui.widgets.field_errors import FieldErrors
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_number
from dairy_desktop.ui.widgets.message_labels import (
    field_error_label,
    message_banner,
    warning_label,
)
from dairy_desktop.ui.widgets.reading_label import reading_label
from dairy_desktop.ui.widgets.time_format import local_time_text

# How long typing may pause before the proposal is fetched: a scanner's or a typist's
# next key comes sooner, so one proposal is read per entry rather than one per key.
PROPOSAL_DELAY_MS = 250
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _liters_text(milliliters: int) -> str:
    return format_decimal(from_milliliters(milliliters), 3)


class OrderConsumeDialog(SendingDialog):
    """`batches_changed(list[Batch])` once the order's litres were taken; `proposal_shown`
    whenever a proposal replaced the split (tests wait for it)."""

    batches_changed = Signal(object)
    proposal_shown = Signal()

    def __init__(
        self,
        calls: OrderCalls,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        delay_ms: int = PROPOSAL_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._calls, self._runner = calls, runner
        self.request = SubmitId()  # re-sent by a retry of the same submit
        self.result_consumed: OrderConsumed | None = None
        self._candidates: tuple[Candidate, ...] = ()
        self._asked = 0  # proposals asked for; only the latest one's answer is shown
        self._proposed_for: tuple[str, int] | None = None  # (order, mL) the split is for
        self._short_by_ml = 0
        # Enter came before the proposal for the entry: say "check it" once it is shown.
        self._check_first = False
        self.setObjectName("orderConsumeDialog")
        self.setWindowTitle("Consume for order")
        self.setMinimumWidth(620)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Type or scan the order and the litres: the batches are proposed first expiring "
            "first. Change the litres to take, add or remove a batch, then Consume."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.order = QLineEdit()
        self.order.setObjectName("order")
        self.order.setPlaceholderText("ORDER-20251204-1234")
        order_label = QLabel("&Order:")
        order_label.setBuddy(self.order)
        form.addRow(order_label, self.order)
        self.order_error = field_error_label("orderError")
        form.addRow("", self.order_error)
        liters_row = QHBoxLayout()
        self.liters = QLineEdit()
        self.liters.setObjectName("liters")
        self.liters.setPlaceholderText("e.g. " + format_decimal(Decimal("1250.5"), 1))
        self.liters_reading = reading_label("litersReading")
        liters_row.addWidget(self.liters, 1)
        liters_row.addWidget(self.liters_reading)
        liters_label = QLabel("&Litres:")
        liters_label.setBuddy(self.liters)
        form.addRow(liters_label, liters_row)
        self.liters_error = field_error_label("litersError")
        form.addRow("", self.liters_error)
        layout.addLayout(form)
        self._fields = FieldErrors()
        self._fields.add("order", self.order, self.order_error)
        self._fields.add("liters", self.liters, self.liters_error)

        self.proposal_note = QLabel("Enter the order and the litres to see the proposed batches.")
        self.proposal_note.setObjectName("proposalNote")
        self.proposal_note.setWordWrap(True)
        layout.addWidget(self.proposal_note)
        self.split = SplitModel(self)
        self.table = QTableView()
        self.table.setObjectName("split")
        self.table.setModel(self.split)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        layout.addWidget(self.table, 1)

        edit_row = QHBoxLayout()
        self.other_batches = QComboBox()
        self.other_batches.setObjectName("otherBatches")
        self.other_batches.setToolTip("Batches this order may take from that are not in the split")
        self.add_button = secondary_button(QPushButton("&Add batch"))
        self.add_button.clicked.connect(self._add_chosen)
        self.remove_button = secondary_button(QPushButton("&Remove batch"))
        self.remove_button.clicked.connect(self._remove_current)
        edit_row.addWidget(self.other_batches, 1)
        edit_row.addWidget(self.add_button)
        edit_row.addWidget(self.remove_button)
        layout.addLayout(edit_row)

        self.split_status = QLabel()
        self.split_status.setObjectName("splitStatus")
        self.split_status.setWordWrap(True)
        layout.addWidget(self.split_status)
        self.fefo_warning = warning_label("fefoWarning")
        layout.addWidget(self.fefo_warning)
        self.message = message_banner()
        layout.addWidget(self.message)

        self.buttons, self.submit_button = primary_buttons(self, "&Consume")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.order, self.liters)
        QWidget.setTabOrder(self.liters, self.table)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh_proposal)
        for key, field in (("order", self.order), ("liters", self.liters)):
            field.textChanged.connect(lambda _t, k=key: self._entry_edited(k))
        self.split.edited.connect(self._split_edited)
        self.split.edit_refused.connect(self._show_message)
        self.split.dataChanged.connect(lambda *_: self.message.hide())  # a line retyped
        self._show_split_state()
        self.order.setFocus()

    # the entry
    def _parsed(self) -> tuple[str | None, int | None, dict[str, str]]:
        problems: dict[str, str] = {}
        order: str | None = None
        milliliters: int | None = None
        try:
            order = validate_order_id(self.order.text())
            if order is None:
                problems["order"] = "Enter (or scan) the order the litres are for."
        except InvalidInput as problem:
            problems["order"] = str(problem)
        try:
            text = self.liters.text()
            if not text.strip():
                raise InvalidInput("Enter the litres the order needs.", field="liters")
            milliliters = to_milliliters(
                parse_liters(plain_number(text, what="Litres", field="liters"))
            )
        except InvalidInput as problem:
            problems["liters"] = str(problem)
        return order, milliliters, problems

    def _entry_edited(self, key: str) -> None:
        self._fields.touch(key)
        self.request.settle()  # an edited entry is a new change
        self.message.hide()  # what it said was about the entry before
        _order, milliliters, problems = self._parsed()
        self._fields.show(problems)
        self.liters_reading.setText(
            f"= {_liters_text(milliliters)} L" if milliliters is not None else ""
        )
        if not problems:
            self.proposal_note.setText("Finding the batches…")
            self._timer.start()
        self._show_split_state()

    def fill_order(self, order_id: str) -> None:
        """An order scanned into the dialog: it replaces the order, litres are next."""
        self.order.setText(order_id)
        self.liters.setFocus()
        self.liters.selectAll()

    # the proposal
    def refresh_proposal(self) -> None:
        """Ask for FEFO's proposal for what is typed now (on the worker)."""
        self._timer.stop()
        order, milliliters, problems = self._parsed()
        if problems or order is None or milliliters is None:
            return
        self._asked += 1
        asked, calls, liters = (
            self._asked,
            self._calls,
            format_liters(from_milliliters(milliliters)),
        )
        self._runner.run(
            lambda: calls.proposal(order, liters),
            lambda proposal: self._proposal_came(asked, proposal),
            lambda error: self._proposal_failed(asked, error),
        )

    def _proposal_came(self, asked: int, proposal: Proposal) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return  # closed, or the entry changed since: a newer proposal is on its way
        self._candidates = proposal.candidates
        self._show_pick(proposal.pick)

    def _proposal_failed(self, asked: int, error: BaseException) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return
        if isinstance(error, InvalidInput) and error.field in ("order", "liters"):
            self._fields.show_one(error.field, str(error))
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        self.proposal_note.setText(f"No proposal: {text}")

    def _show_pick(self, pick: OrderPick) -> None:
        available = {c.code: c.available_ml for c in self._candidates}
        self._proposed_for = (pick.order_id, pick.wanted_ml)
        self._short_by_ml = pick.short_by_ml
        self.split.set_lines(
            [
                SplitLine(
                    line.code,
                    line.expires_at,
                    available.get(line.code, line.ml),
                    line.version,
                    line.ml,
                )
                for line in pick.lines
            ]
        )
        wanted = _liters_text(pick.wanted_ml)
        if pick.covered:
            note = f"Proposed for {pick.order_id}, first expiring first: {wanted} L from "
            note += f"{len(pick.lines)} batch{'es' if len(pick.lines) != 1 else ''}."
        else:
            note = (
                f"Short by {_liters_text(pick.short_by_ml)} L: the batches {pick.order_id} may "
                f"use have only {_liters_text(pick.wanted_ml - pick.short_by_ml)} L of the "
                f"{wanted} L asked."
            )
        if self._check_first:
            note += " Check the batches, then press Consume (Enter) again."
        self.proposal_note.setText(note)
        self._fill_other_batches()
        self.proposal_shown.emit()

    def _fill_other_batches(self) -> None:
        chosen = {line.code for line in self.split.lines()}
        self.other_batches.clear()
        for candidate in self._candidates:
            if candidate.code in chosen or candidate.available_ml <= 0:
                continue
            self.other_batches.addItem(
                f"{candidate.code} — expires {local_time_text(candidate.expires_at)} — "
                f"{_liters_text(candidate.available_ml)} L",
                candidate.code,
            )
        self.add_button.setEnabled(self.other_batches.count() > 0)

    # editing the split
    def add_batch(self, code: str) -> str:
        """Add batch `code` to the split (a scan, or Add batch); what became of it."""
        candidate = next((c for c in self._candidates if c.code == code), None)
        if candidate is None:
            return f"refused: batch {code} cannot be used for this order now (not consumable)"
        wanted = self._proposed_for[1] if self._proposed_for else 0
        missing = max(wanted - self.split.total_ml(), 0)
        line = SplitLine(
            code,
            candidate.expires_at,
            candidate.available_ml,
            candidate.version,
            min(missing, candidate.available_ml),
        )
        self.message.hide()
        row = self.split.add(line)
        self.table.setCurrentIndex(self.split.index(row, COL_TAKE))
        self.table.setFocus()
        self._fill_other_batches()
        return f"batch {code}: added to the split"

    def _add_chosen(self) -> None:
        code = self.other_batches.currentData()
        if isinstance(code, str):
            self.add_batch(code)

    def _remove_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.message.hide()
            self.split.remove(index.row())
            self._fill_other_batches()

    def _split_edited(self) -> None:
        self.request.settle()  # a changed split is a new change
        self._show_split_state()

    def _show_split_state(self) -> None:
        """Consume enabled or why not, and the FEFO warning, for the split as it is."""
        reason = self.split_problem()
        lines = self.split.lines()
        total = _liters_text(self.split.total_ml())
        if reason is None:
            self.split_status.setText(f"Split: {total} L from {len(lines)} batch(es). Ready.")
            self.split_status.setStyleSheet("")
        else:
            self.split_status.setText(reason)
            self.split_status.setStyleSheet("color: #c62828;")
        self.submit_button.setEnabled(reason is None and not self._sending)
        self.submit_button.setToolTip(reason or "Consume every line in one change")
        warning = fefo_warning([(line.code, line.take_ml) for line in lines], self._candidates)
        self.fefo_warning.setText(warning)
        self.fefo_warning.setVisible(bool(warning))

    def split_problem(self) -> str | None:
        """Why Consume is not enabled now, or None when the split may be sent."""
        order, milliliters, problems = self._parsed()
        if problems:
            return "Enter the order and the litres first."
        if self._proposed_for != (order, milliliters) or self._timer.isActive():
            return "Waiting for the proposed batches for this entry…"
        lines = self.split.lines()
        if not lines:
            return "No batch in the split: add one, or change the litres."
        for line in lines:
            if line.take_ml <= 0:
                return f"Nothing to take from {line.code}: type its litres, or remove it."
            if line.take_ml > line.available_ml:
                return (
                    f"{line.code} can give this order only {_liters_text(line.available_ml)} L "
                    f"(you chose {_liters_text(line.take_ml)} L)."
                )
        assert milliliters is not None
        total = self.split.total_ml()
        if total != milliliters:
            more = "more" if total < milliliters else "less"
            return (
                f"The split adds up to {_liters_text(total)} L but the order asks for "
                f"{_liters_text(milliliters)} L: take {_liters_text(abs(milliliters - total))} L "
                f"{more}."
            )
        return None

    # submit
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter with Consume disabled says why (a disabled default button would do
        nothing at all, which reads as a broken keyboard). Enter in a line's litres only
        ends that edit: the value typed is committed after this key, so consuming now would
        send the line as it was."""
        editing = self.table.state() == QAbstractItemView.State.EditingState
        if event.key() in _ENTER_KEYS and editing:
            event.accept()
            return
        if event.key() in _ENTER_KEYS and not self.submit_button.isEnabled():
            self.submit()
            return
        super().keyPressEvent(event)

    def submit(self) -> None:
        if self._sending:
            return
        order, milliliters, problems = self._parsed()
        if not self._fields.attempt(problems) or order is None or milliliters is None:
            return
        if self._proposed_for != (order, milliliters) or self._timer.isActive():
            self._check_first = True  # a note, not a refusal: nothing went wrong
            self.message.hide()
            self.proposal_note.setText("Finding the batches… check them before consuming.")
            self.refresh_proposal()
            return
        reason = self.split_problem()
        if reason is not None:
            self._show_message(reason)
            self.table.setFocus()
            return
        lines = [
            (line.code, format_liters(from_milliliters(line.take_ml)), line.version)
            for line in self.split.lines()
        ]
        liters = format_liters(from_milliliters(milliliters))
        calls, request_id = self._calls, self.request.for_submit()
        self._check_first = False
        self._sending = True
        self.submit_button.setEnabled(False)  # while this submit is in flight
        self.message.hide()
        self._runner.run(
            lambda: calls.consume(order, liters, lines, request_id=request_id),
            self._succeeded,
            self._failed,
        )

    def _succeeded(self, consumed: OrderConsumed) -> None:
        if not shiboken6.isValid(self):
            return  # closed with the app; the window reloads what the database has
        self._sending = False
        self.request.settle()
        self.result_consumed = consumed
        self.batches_changed.emit([line.batch for line in consumed.lines])
        self.accept()

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._sending = False
        if may_have_landed(error):
            self.request.after_failure(error)  # kept: the resend is recorded once
            self._show_split_state()
            self._show_message(
                f"{error} Your entry is kept; press Consume again when it is back (it is "
                "recorded once, however often you press it)."
            )
            return
        self.request.settle()
        proposal: Any = getattr(error, "proposal", None)
        if isinstance(error, PlanNoLongerHolds | NotEnoughStock) and isinstance(
            proposal, OrderPick
        ):
            self._show_pick(proposal)  # the plan the stock allows now, to check and resend
            self.refresh_proposal()  # and every batch's litres as they are now
        else:
            self._show_split_state()
        if isinstance(error, InvalidInput) and error.field in ("order", "liters"):
            self._fields.show_one(error.field, str(error))
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        self._show_message(text)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
