"""The scan log support staff open: every scan, shown safely, with what it did."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHeaderView, QTableView, QVBoxLayout, QWidget

from dairy_desktop.ui.scanner.scan_log_model import ScanLogModel


class ScanLogWindow(QDialog):
    def __init__(self, model: ScanLogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scan log")
        self.setObjectName("scanLog")
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        self.table = QTableView()
        self.table.setModel(model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
