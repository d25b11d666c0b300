"""The Reservations window's table: one row per (order, batch) reservation.

At risk is said in words ("AT RISK: is on hold"), not by colour alone, so a colour-blind
operator and a grey-scale printout read it too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dairy_desktop.services.orders_unreserve import ReservationNow
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.time_format import local_time_text

COL_ORDER, COL_BATCH, COL_LITERS, COL_FOR, COL_EXPIRES, COL_RISK = range(6)
HEADERS = ("Order", "Batch", "Litres", "For", "Expires", "At risk")
Index = QModelIndex | QPersistentModelIndex
_RISK_TINT = QBrush(QColor("#fde2c8"))


class ReservationsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReservationNow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[ReservationNow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ReservationNow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[ReservationNow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and row.at_risk:
            return _RISK_TINT
        if role == Qt.ItemDataRole.FontRole and row.at_risk and column == COL_RISK:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and row.at_risk:
            r = row.reservation
            return f"{r.batch_code} {row.risk}: the litres for {r.order_id} may not be there"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = column == COL_LITERS
            horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: ReservationNow, column: int) -> str:
        r = row.reservation
        if column == COL_ORDER:
            return r.order_id
        if column == COL_BATCH:
            return r.batch_code
        if column == COL_LITERS:
            return format_decimal(r.liters, 3)
        if column == COL_FOR:
            return r.planned_for.isoformat()
        if column == COL_EXPIRES:
            return local_time_text(row.expires_at)
        return f"AT RISK: {row.risk}" if row.at_risk else "—"
