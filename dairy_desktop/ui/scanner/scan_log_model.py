"""Read-only table model over a ScanLog (newest scan on top), for the support dialog.

Record scans through the model (``record()``) so views hear about every change.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from dairy_desktop.ui.scanner.scan_log import ScanLog, ScanLogEntry

COL_TIME = 0
COL_RAW = 1
COL_OUTCOME = 2
_HEADERS = ("Time", "Scanned", "Outcome")

_Index = QModelIndex | QPersistentModelIndex


class ScanLogModel(QAbstractTableModel):
    """Rows newest first; times shown in the plant's ``zone``."""

    def __init__(self, log: ScanLog, zone: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = log
        self._zone = zone

    def record(self, raw: str, outcome: str, *, at: datetime) -> ScanLogEntry:
        """Add a scan to the log as a new top row (the oldest bottom row goes when full)."""
        if self._log.is_full():
            last = len(self._log) - 1
            self.beginRemoveRows(QModelIndex(), last, last)
            self._log.drop_oldest()
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, 0)
        entry = self._log.add(raw, outcome, at=at)
        self.endInsertRows()
        return entry

    def reload(self) -> None:
        """Call after changing the log other than through ``record()``."""
        self.beginResetModel()
        self.endResetModel()

    def entry(self, row: int) -> ScanLogEntry:
        return self._log[len(self._log) - 1 - row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._log)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._log):
            return None
        entry = self.entry(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == COL_TIME:
                return entry.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S")
            return entry.raw_visible if column == COL_RAW else entry.outcome
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _HEADERS[section]
        return None
