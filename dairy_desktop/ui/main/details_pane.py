"""The selected batch: its facts and its full history from the audit trail."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.status import BatchStatus
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


class DetailsPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("details")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.facts = QLabel("Select a batch to see its details and history.")
        self.facts.setObjectName("facts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.facts)
        layout.addWidget(QLabel("<b>History</b>"))
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.history, 1)
        self.code: str | None = None

    def show_batch(self, batch: Batch | None, status: BatchStatus | None) -> None:
        self.code = batch.code if batch else None
        if batch is None or status is None:
            self.facts.setText("Select a batch to see its details and history.")
            self.history.setRowCount(0)
            return
        fat = batch.fat_percent
        self.facts.setText(
            f"<h3 style='margin:0'>{batch.code}</h3>"
            f"<b>{status.label}</b> — {STATUS_HINTS[status]}<br>"
            f"Received {local_time_text(batch.received_at)}, shelf life "
            f"{batch.shelf_life_days} days, expires <b>{local_time_text(batch.expires_at)}</b><br>"
            f"Remaining <b>{format_decimal(batch.remaining_liters, 3)} L</b> of "
            f"{format_decimal(batch.initial_liters, 3)} L"
            f"{'' if fat is None else f', fat {format_decimal(fat, 2)} %'}<br>"
            f"Version {batch.version}, last changed {local_time_text(batch.updated_at)} by "
            f"{batch.updated_by or '—'} on {batch.updated_workstation or '—'}"
        )

    def show_history(self, code: str, events: list[AuditEvent]) -> None:
        if code != self.code:
            return  # the selection moved on while the history was loading
        self.history.setRowCount(len(events))
        for row, event in enumerate(reversed(events)):  # newest first
            liters = event.liters
            cells = [
                local_time_text(event.at),
                event.action.value,
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
                if column in (2, 3, 4):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.history.setItem(row, column, item)
        self.history.resizeColumnsToContents()
