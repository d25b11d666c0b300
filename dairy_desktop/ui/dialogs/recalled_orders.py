"""After a recall: every order that used the batch's milk, to trace (order, litres, when,
who, PC). A consume later reversed is listed too, marked: its milk came back, but the
record says it left once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.ui.dialogs.lifecycle_calls import Recalled
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.time_format import local_time_text

ORDER_COLUMNS = ["Order", "Litres", "When", "Who", "PC", "Note"]


class RecalledOrdersDialog(QDialog):
    def __init__(self, recalled: Recalled, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        code = recalled.batch.code
        self.setWindowTitle(f"Recalled — {code}")
        self.setObjectName("recalledOrders")
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        used = [event for event in recalled.orders if not event.is_reversed]
        total = sum(event.liters_ml or 0 for event in used)
        headline = QLabel(
            f"<b>Batch {code} is recalled.</b> "
            + (
                f"{len(recalled.orders)} consume(s) used its milk: "
                f"{format_decimal(from_milliliters(total), 3)} L in all. Trace these orders."
                if recalled.orders
                else "No order used its milk: nothing to trace."
            )
        )
        headline.setObjectName("headline")
        headline.setWordWrap(True)
        layout.addWidget(headline)
        self.headline = headline

        self.table = QTableWidget(len(recalled.orders), len(ORDER_COLUMNS))
        self.table.setObjectName("orders")
        self.table.setHorizontalHeaderLabels(ORDER_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, event in enumerate(recalled.orders):
            liters = event.liters
            cells = [
                event.order_id or "(no order)",
                "" if liters is None else format_decimal(liters, 3),
                local_time_text(event.at),
                event.operator,
                event.workstation,
                "reversed: the litres came back" if event.is_reversed else "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(recalled.orders))
        layout.addWidget(self.table, 1)

        # Only Close: there is nothing to cancel. Enter and Escape both close.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        self.buttons.rejected.connect(self.accept)
        layout.addWidget(self.buttons)
        self.table.setFocus()

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
