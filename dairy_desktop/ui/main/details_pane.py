"""The selected batch: its facts, its intake and QA, and its full history from the audit trail.

What to do next sits where the operator reads why: an expired (or rejected, or recalled)
batch's "remove and discard" gets its Dispose button, a batch awaiting QA its QA button, and
a consume or dispose picked in the history can be reversed. The pane only asks
(`qa_requested`, `dispose_requested`, `reverse_requested(AuditEvent)`); the batch actions
open the dialogs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.audit import REVERSIBLE, AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.intake import format_temperature, is_over_limit
from dairy_desktop.domain.qa import QaResult, QaState
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.widgets.dialog_buttons import secondary_button
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.status_style import STATUS_HINTS
from dairy_desktop.ui.widgets.time_format import local_time_text

HISTORY_COLUMNS = [
    "When",
    "Action",
    "Litres",
    "Left after",
    "Ver.",
    "Order",
    "Operator",
    "PC",
    "Reason",
]
# Statuses whose milk only ever leaves as a write-off: the pane offers Dispose beside them.
DISPOSE_OFFERED = frozenset({BatchStatus.EXPIRED, BatchStatus.REJECTED, BatchStatus.RECALLED})
_WARM_STYLE = "color: #c62828; font-weight: bold;"


def action_text(event: AuditEvent) -> str:
    """The history's Action cell: a reversed event says so, a reversal names its original."""
    text = event.action.value
    if event.action is AuditAction.QA and event.qa_test:
        text = f"qa {event.qa_test}: {event.qa_result or '?'}"
    if event.action is AuditAction.DISPOSE and event.reason_code:
        text = f"dispose ({event.reason_code})"
    if event.action is AuditAction.REVERSE and event.reverses_id is not None:
        text = f"reverse of #{event.reverses_id}"
    if event.is_reversed:
        text += f" — reversed by #{event.reversed_by}"
    return text


def can_reverse(event: AuditEvent, batch: Batch | None) -> bool:
    """Only a consume or dispose that stands, on a batch neither deleted nor recalled; the
    database checks again (another PC may have reversed it a moment ago)."""
    return (
        event.action in REVERSIBLE
        and not event.is_reversed
        and batch is not None
        and not batch.is_deleted
        and not batch.is_recalled
    )


def intake_text(batch: Batch, limit_deci: int) -> str:
    parts = []
    if batch.supplier:
        parts.append(f"Supplier <b>{batch.supplier}</b>")
    if batch.tanker:
        parts.append(f"tanker {batch.tanker}")
    if batch.seal:
        parts.append(f"seal {batch.seal}")
    if batch.temperature_deci is not None:
        degrees = f"received at {format_temperature(batch.temperature_deci)} °C"
        if is_over_limit(batch.temperature_deci, limit_deci):
            degrees = (
                f"<span style='{_WARM_STYLE}'>⚠ {degrees}, above the plant's limit of "
                f"{format_temperature(limit_deci)} °C</span>"
            )
        parts.append(degrees)
    return ", ".join(parts) if parts else "No intake details recorded"


class DetailsPane(QWidget):
    qa_requested = Signal()
    dispose_requested = Signal()
    reverse_requested = Signal(object)  # the AuditEvent to reverse

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("details")
        self._settings = PlantSettings()
        self.batch: Batch | None = None
        self.status: BatchStatus | None = None
        self.events: list[AuditEvent] = []  # newest first, as the table shows them
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.facts = self._label("facts")
        self.facts.setText("Select a batch to see its details and history.")
        layout.addWidget(self.facts)

        # The next step, beside the words that call for it.
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        self.dispose_button = secondary_button(QPushButton("Dis&pose…"))
        self.dispose_button.setObjectName("disposeButton")
        self.dispose_button.setToolTip("Write the milk off, with a reason (Ctrl+Shift+D)")
        bold = QFont(self.dispose_button.font())
        bold.setBold(True)
        self.dispose_button.setFont(bold)  # the obvious action on a batch that must go
        self.dispose_button.clicked.connect(self.dispose_requested)
        self.qa_button = secondary_button(QPushButton("Record &QA result…"))
        self.qa_button.setObjectName("qaButton")
        self.qa_button.setToolTip("Record a lab result for this batch (Ctrl+T)")
        self.qa_button.setFont(bold)
        self.qa_button.clicked.connect(self.qa_requested)
        actions.addWidget(self.dispose_button)
        actions.addWidget(self.qa_button)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.intake = self._label("intake")
        layout.addWidget(self.intake)
        self.qa = self._label("qaFacts")
        layout.addWidget(self.qa)

        history_row = QHBoxLayout()
        history_row.setContentsMargins(0, 0, 0, 0)
        # Alt+S lands in the history: pick an event with the arrows, then Reverse (Alt+E).
        self.history_label = QLabel("Hi&story")
        history_font = QFont(self.history_label.font())
        history_font.setBold(True)
        self.history_label.setFont(history_font)
        history_row.addWidget(self.history_label)
        history_row.addStretch(1)
        self.reverse_button = secondary_button(QPushButton("Rev&erse…"))
        self.reverse_button.setObjectName("reverseButton")
        self.reverse_button.setToolTip(
            "Reverse the consume or dispose selected below: its litres go back"
        )
        self.reverse_button.clicked.connect(self._reverse_selected)
        history_row.addWidget(self.reverse_button)
        layout.addLayout(history_row)
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.reverse_action = QAction("Re&verse…", self.history)
        self.reverse_action.triggered.connect(self._reverse_selected)
        self.history.addAction(self.reverse_action)
        self.history.itemSelectionChanged.connect(self._update_reverse)
        self.history.installEventFilter(self)
        self.history_label.setBuddy(self.history)
        layout.addWidget(self.history, 1)
        self.code: str | None = None
        self._show_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Reached by the keyboard with nothing picked: the newest event is picked, so the
        arrows move from there and Reverse knows what it is for."""
        if (
            watched is self.history
            and event.type() == QEvent.Type.FocusIn
            and self.history.rowCount()
            and not self.history.selectionModel().hasSelection()
        ):
            self.history.selectRow(0)
        return False

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def set_settings(self, settings: PlantSettings) -> None:
        """The temperature limit and required tests the facts are read against."""
        self._settings = settings
        self.show_batch(self.batch, self.status)
        self._show_qa()

    def show_batch(self, batch: Batch | None, status: BatchStatus | None) -> None:
        if batch is None or batch.code != self.code:
            self.events = []
            self.history.setRowCount(0)
        self.code = batch.code if batch else None
        self.batch, self.status = batch, status
        if batch is None or status is None:
            self.facts.setText("Select a batch to see its details and history.")
            self.intake.clear()
            self.qa.clear()
            self._show_buttons()
            return
        fat = batch.fat_percent
        self.facts.setText(
            f"<h3 style='margin:0'>{batch.code}</h3>"
            f"<b>{status.label}</b> — {STATUS_HINTS.get(status, status.label)}<br>"
            f"Received {local_time_text(batch.received_at)}, shelf life "
            f"{batch.shelf_life_days} days, expires <b>{local_time_text(batch.expires_at)}</b><br>"
            f"Remaining <b>{format_decimal(batch.remaining_liters, 3)} L</b> of "
            f"{format_decimal(batch.initial_liters, 3)} L"
            f"{'' if fat is None else f', fat {format_decimal(fat, 2)} %'}<br>"
            f"Version {batch.version}, last changed {local_time_text(batch.updated_at)} by "
            f"{batch.updated_by or '—'} on {batch.updated_workstation or '—'}"
        )
        self.intake.setText(intake_text(batch, self._settings.temperature_limit_deci))
        self._show_qa()
        self._show_buttons()

    def _show_buttons(self) -> None:
        batch, status = self.batch, self.status
        self.dispose_button.setVisible(
            batch is not None and status in DISPOSE_OFFERED and batch.remaining_ml > 0
        )
        self.qa_button.setVisible(
            batch is not None
            and status is BatchStatus.PENDING_QA
            and batch.qa_state is QaState.PENDING
        )
        self._update_reverse()

    def _show_qa(self) -> None:
        batch = self.batch
        if batch is None:
            self.qa.clear()
            return
        results = [e for e in self.events if e.action is AuditAction.QA]
        state = {
            QaState.PENDING: "awaiting release",
            QaState.RELEASED: "released",
            QaState.REJECTED: "<b>rejected</b>",
        }[batch.qa_state]
        lines = [f"QA: {state}"]
        if batch.qa_state is QaState.PENDING:
            passed = {e.qa_test for e in results if e.qa_result == QaResult.PASS}
            try:
                required = self._settings.required_tests
            except InvalidInput:
                required = ()
            due = [name for name in required if name not in passed]
            if due:
                lines[0] += f" — still to pass: {', '.join(due)}"
        for event in reversed(results):  # oldest first, as they were run
            mark = "✔" if event.qa_result == QaResult.PASS else "✖"
            lines.append(
                f"{mark} {event.qa_test} {event.qa_result} — {event.qa_analyst or event.operator}"
                f", {local_time_text(event.at)}"
                f"{f', kit {event.qa_kit}' if event.qa_kit else ''}"
                f"{f', sample {event.qa_sample_id}' if event.qa_sample_id else ''}"
            )
        self.qa.setText("<br>".join(lines))

    def show_history(self, code: str, events: list[AuditEvent]) -> None:
        if code != self.code:
            return  # the selection moved on while the history was loading
        self.events = list(reversed(events))  # newest first
        self.history.setRowCount(len(self.events))
        for row, event in enumerate(self.events):
            liters = event.liters
            cells = [
                local_time_text(event.at),
                action_text(event),
                "" if liters is None else format_decimal(liters, 3),
                format_decimal(event.remaining_after, 3),
                str(event.version_after),
                event.order_id or "",
                event.operator,
                event.workstation,
                event.reason or "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"Event #{event.id}")  # what `audit reverse` is given
                if column in (2, 3, 4):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if event.is_reversed:  # struck through: it stands in the record, undone
                    font = item.font()
                    font.setStrikeOut(True)
                    item.setFont(font)
                self.history.setItem(row, column, item)
        self.history.resizeColumnsToContents()
        self._show_qa()
        self._update_reverse()

    # reversing an event
    def selected_event(self) -> AuditEvent | None:
        rows = self.history.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.events):
            return None
        return self.events[rows[0].row()]

    def _update_reverse(self) -> None:
        event = self.selected_event()
        allowed = event is not None and can_reverse(event, self.batch)
        self.reverse_button.setEnabled(allowed)
        self.reverse_action.setEnabled(allowed)
        self.reverse_button.setToolTip(
            "Reverse the consume or dispose selected below: its litres go back"
            if event is None or allowed
            else _why_not_reversible(event, self.batch)
        )

    def _reverse_selected(self) -> None:
        event = self.selected_event()
        if event is not None and can_reverse(event, self.batch):
            self.reverse_requested.emit(event)


def _why_not_reversible(event: AuditEvent, batch: Batch | None) -> str:
    if event.is_reversed:
        return f"Event #{event.id} was reversed already (by #{event.reversed_by})."
    if event.action not in REVERSIBLE:
        return f"Only a consume or a dispose can be reversed, not a {event.action.value}."
    if batch is not None and batch.is_recalled:
        return "The batch is recalled: nothing goes back into it."
    return "The batch is deleted: restore it first."
