"""The batch table: a QAbstractTableModel over rows filtered and sorted in Python."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.domain.time_left import describe_time_left
from dairy_desktop.ui.batch_rows import SORT_KEYS, BatchRowView, RowFilter, classify
from dairy_desktop.ui.locale_decimal import format_decimal
from dairy_desktop.ui.status_style import STATUS_HINTS, StatusStyle, status_icon

(
    COL_CODE,
    COL_RECEIVED,
    COL_EXPIRES,
    COL_TIME_LEFT,
    COL_REMAINING,
    COL_INITIAL,
    COL_FAT,
    COL_STATUS,
    COL_VERSION,
) = range(9)
COLUMNS = [
    ("code", "Code"),
    ("received", "Received"),
    ("expires", "Expires"),
    ("time_left", "Time left"),
    ("remaining", "Remaining L"),
    ("initial", "Initial L"),
    ("fat", "Fat %"),
    ("status", "Status"),
    ("version", "Version"),
]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
CODE_ROLE = Qt.ItemDataRole.UserRole + 3
_NUMERIC = {COL_REMAINING, COL_INITIAL, COL_FAT, COL_VERSION}
Index = QModelIndex | QPersistentModelIndex


class BatchTableModel(QAbstractTableModel):
    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._near_days = 3
        self._now = datetime.now().astimezone()
        self._all: dict[str, BatchRowView] = {}
        self._rows: list[BatchRowView] = []
        self._filter = RowFilter()
        self._sort_column = COL_EXPIRES
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._style = StatusStyle(self._palette())

    @staticmethod
    def _palette() -> QPalette:
        app = QApplication.instance()
        return app.palette() if isinstance(app, QApplication) else QPalette()

    # loading
    def set_batches(
        self, batches: Iterable[Batch], *, now: datetime, zone: tzinfo, near_days: int
    ) -> None:
        self._now, self._zone, self._near_days = now, zone, near_days
        self._all = {row.batch.code: row for row in classify(batches, now, zone, near_days)}
        self._rebuild()

    def set_filter(self, row_filter: RowFilter) -> None:
        self._filter = row_filter
        self._rebuild()

    def row_filter(self) -> RowFilter:
        return self._filter

    def tick(self, now: datetime) -> None:
        """Time passes: statuses move between bands even when no data changed."""
        self._now = now
        fresh = classify((r.batch for r in self._all.values()), now, self._zone, self._near_days)
        if any(new.status != self._all[new.batch.code].status for new in fresh):
            self._all = {row.batch.code: row for row in fresh}
            self._rebuild()
        elif self._rows:
            top, bottom = (
                self.index(0, COL_TIME_LEFT),
                self.index(len(self._rows) - 1, COL_TIME_LEFT),
            )
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def upsert(self, batches: Iterable[Batch]) -> None:
        """Targeted update for batches changed elsewhere: dataChanged, insert or remove."""
        for row in classify(batches, self._now, self._zone, self._near_days):
            self._all[row.batch.code] = row
            position = self.row_of(row.batch.code)
            wanted = self._filter.accepts(row)
            if position is not None and wanted:
                self._rows[position] = row
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(COLUMNS) - 1)
                )
            elif position is not None:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self.endRemoveRows()
            elif wanted:
                at = self._insertion_point(row)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, row)
                self.endInsertRows()

    def _insertion_point(self, row: BatchRowView) -> int:
        key = SORT_KEYS[COLUMNS[self._sort_column][0]]
        keys = [key(r) for r in self._rows]
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            return len(keys) - bisect.bisect_right(keys[::-1], key(row))
        return bisect.bisect_right(keys, key(row))

    def _rebuild(self) -> None:
        self.beginResetModel()
        rows = [r for r in self._all.values() if self._filter.accepts(r)]
        key = SORT_KEYS[COLUMNS[self._sort_column][0]]
        rows.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self._rows = rows
        self.endResetModel()

    # queries
    def row_of(self, code: str) -> int | None:
        for position, row in enumerate(self._rows):
            if row.batch.code == code:
                return position
        return None

    def find(self, code: str) -> BatchRowView | None:
        """Any loaded batch, whether or not the current filter shows it."""
        return self._all.get(code)

    def batch_at(self, row: int) -> Batch | None:
        return self._rows[row].batch if 0 <= row < len(self._rows) else None

    def status_at(self, row: int) -> BatchStatus | None:
        return self._rows[row].status if 0 <= row < len(self._rows) else None

    def all_rows(self) -> list[BatchRowView]:
        return list(self._all.values())

    def total_count(self) -> int:
        return len(self._all)

    # Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1] if 0 <= section < len(COLUMNS) else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = {id(row): i for i, row in enumerate(self._rows)}
        key = SORT_KEYS[COLUMNS[column][0]]
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        moved = {old[id(row)]: i for i, row in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(moved[p.row()], p.column()) if p.row() in moved else QModelIndex()
                for p in persistent
            ],
        )
        self.layoutChanged.emit()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._style.background[row.status]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._style.foreground[row.status]
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS:
            return status_icon(row.status)
        if role == Qt.ItemDataRole.FontRole and row.status == BatchStatus.DELETED:
            return self._style.struck
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.batch.code}: {STATUS_HINTS[row.status]}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return SORT_KEYS[COLUMNS[column][0]](row)
        if role == STATUS_ROLE:
            return row.status.value
        if role == CODE_ROLE:
            return row.batch.code
        return None

    def _display(self, row: BatchRowView, column: int) -> str:
        batch = row.batch
        if column == COL_CODE:
            return batch.code
        if column == COL_RECEIVED:
            return f"{batch.received_at.astimezone(self._zone):%Y-%m-%d %H:%M}"
        if column == COL_EXPIRES:
            return f"{batch.expires_at.astimezone(self._zone):%Y-%m-%d %H:%M}"
        if column == COL_TIME_LEFT:
            return describe_time_left(batch.expires_at, self._now)
        if column == COL_REMAINING:
            return format_decimal(batch.remaining_liters, 3)
        if column == COL_INITIAL:
            return format_decimal(batch.initial_liters, 3)
        if column == COL_FAT:
            fat = batch.fat_percent
            return "" if fat is None else format_decimal(fat, 2)
        if column == COL_STATUS:
            return row.status.label
        return str(batch.version)

    def restyle(self) -> None:
        """The palette changed (light/dark switch): rebuild the cached brushes."""
        self._style = StatusStyle(self._palette())
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )
