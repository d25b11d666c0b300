"""Search box, status filter, near-expiry horizon and "show deleted"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from dairy_desktop.domain.settings import MAX_NEAR_EXPIRY_DAYS, PlantSettings
from dairy_desktop.ui.main.batch_rows import StatusFilter

UNKNOWN_HORIZON = -1  # the spin box's "—": shown before the first connection


class FilterBar(QWidget):
    changed = Signal()
    horizon_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search code or order…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search, 3)
        layout.addWidget(QLabel("Status:"))
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        for option in StatusFilter:
            self.status.addItem(option.value, option.value)
        layout.addWidget(self.status, 1)
        layout.addWidget(QLabel("Near expiry within:"))
        self.horizon = QSpinBox()
        self.horizon.setObjectName("horizon")
        # Until the plant's setting is known the box says "—", not a made-up "0 days".
        self.horizon.setRange(UNKNOWN_HORIZON, MAX_NEAR_EXPIRY_DAYS)
        self.horizon.setSpecialValueText("—")
        self.horizon.setValue(UNKNOWN_HORIZON)
        self.horizon.setEnabled(False)
        self.horizon.setSuffix(" days")
        self.horizon.setToolTip("How many days after today count as near expiry")
        layout.addWidget(self.horizon)
        self.show_deleted = QCheckBox("Show &deleted")
        self.show_deleted.setObjectName("showDeleted")
        layout.addWidget(self.show_deleted)
        self.search.textChanged.connect(self.changed)
        self.status.currentIndexChanged.connect(self.changed)
        self.show_deleted.toggled.connect(self.changed)
        self.horizon.valueChanged.connect(self.horizon_changed)

    def horizon_known(self) -> bool:
        return self.horizon.minimum() != UNKNOWN_HORIZON

    def horizon_days(self) -> int:
        """The chosen horizon; the default one while the plant's is not known yet."""
        value = self.horizon.value()
        return value if self.horizon_known() else PlantSettings().near_expiry_days

    def show_horizon(self, days: int) -> None:
        """The plant's setting has arrived: show it (no change signal: nothing was chosen)."""
        self.horizon.blockSignals(True)
        self.horizon.setRange(0, MAX_NEAR_EXPIRY_DAYS)
        self.horizon.setSpecialValueText("")
        self.horizon.setValue(days)
        self.horizon.setEnabled(True)
        self.horizon.blockSignals(False)

    def status_filter(self) -> StatusFilter:
        # Item data holds the plain value: Qt turns str enums into str anyway.
        return StatusFilter(self.status.currentData() or StatusFilter.ALL.value)

    def set_status_filter(self, value: StatusFilter) -> None:
        self.status.setCurrentIndex(self.status.findData(value.value))
