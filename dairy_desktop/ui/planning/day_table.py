"""The plan's days as a read-only table: the chart's numbers, exact, in the PC's locale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from dairy_desktop.domain.plan import Plan, PlanDay
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

HEADERS = ("Day", "Available (L)", "Reserved (L)", "Fat % (weighted)", "Batches", "Not released")
COL_DAY, COL_AVAILABLE, COL_RESERVED, COL_FAT, COL_BATCHES, COL_NOT_RELEASED = range(6)


def not_released_text(day: PlanDay) -> str:
    parts = [
        f"{day.on_hold} on hold" if day.on_hold else "",
        f"{day.awaiting_qa} awaiting QA" if day.awaiting_qa else "",
    ]
    return ", ".join(part for part in parts if part)


def row_texts(day: PlanDay) -> tuple[str, ...]:
    return (
        f"{day.day:%a} {day.day.isoformat()}",
        format_decimal(day.available_liters, 3),
        format_decimal(day.reserved_liters, 3),
        "—" if day.fat_percent is None else format_decimal(day.fat_percent, 2),
        str(day.batches),
        not_released_text(day),
    )


class PlanDayTable(QTableWidget):
    """At most 61 rows: a plain QTableWidget is enough, no model of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setObjectName("planTable")
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_plan(self, plan: Plan) -> None:
        self.setRowCount(len(plan.days))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, day in enumerate(plan.days):
            for column, text in enumerate(row_texts(day)):
                item = QTableWidgetItem(text)
                if column in (COL_AVAILABLE, COL_RESERVED, COL_FAT, COL_BATCHES):
                    item.setTextAlignment(right)
                self.setItem(row, column, item)
