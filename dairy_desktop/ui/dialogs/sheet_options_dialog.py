"""Which daily sheet to print: its date and its plan horizon, asked before anything loads."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.printing.sheet.data import MAX_SHEET_DAYS
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons

MIN_WIDTH = 340


class SheetOptionsDialog(QDialog):
    def __init__(
        self, *, today: date, days: int, zone_name: str, action: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Daily expiry sheet")
        self.setObjectName("sheetOptionsDialog")
        self.setMinimumWidth(MIN_WIDTH)  # so a window manager need not cut the title short
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setObjectName("sheetDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd yyyy-MM-dd")
        form.addRow("Sheet &date:", self.date_edit)

        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("sheetDays")
        self.days_spin.setRange(0, MAX_SHEET_DAYS)
        self.days_spin.setValue(max(0, min(MAX_SHEET_DAYS, days)))
        self.days_spin.setSuffix(" days")
        form.addRow("&Plan horizon:", self.days_spin)
        layout.addLayout(form)

        # The sections follow the plant's calendar, which may not be this PC's.
        note = QLabel(
            f"Sections follow the sheet date in plant time ({zone_name}); "
            "remaining litres are as of now."
        )
        note.setWordWrap(True)
        note.setObjectName("sheetNote")
        layout.addWidget(note)

        # Both fields always hold a valid choice (their ranges see to it): Enter just goes.
        self.buttons, self.ok_button = primary_buttons(self, action)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def set_choice(self, sheet_date: date, days: int) -> None:
        self.date_edit.setDate(QDate(sheet_date.year, sheet_date.month, sheet_date.day))
        self.days_spin.setValue(days)

    def sheet_date(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def days(self) -> int:
        return self.days_spin.value()
