"""The batch table: a QAbstractTableModel over rows filtered and sorted in Python."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.intake import DEFAULT_TEMPERATURE_LIMIT_DECI, is_over_limit
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.domain.time_left import describe_time_left
from dairy_desktop.ui.main.batch_rows import (
    SORT_KEYS,
    BatchRowView,
    RowFilter,
    classify,
    next_status_change,
)
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.status_style import STATUS_HINTS, StatusStyle

# New columns go at the end: a header layout saved by an older version (widths, order, sort
# column, all by logical index) then still means the same columns, and Ctrl+1 … Ctrl+9 keep
# sorting by what they always did.
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
    COL_TEMPERATURE,
    COL_SUPPLIER,
    COL_RESERVED,
) = range(12)
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
    ("temperature", "Temp °C"),  # before Supplier: narrow, and its warm-load flag matters more
    ("supplier", "Supplier"),
    ("reserved", "Reserved L"),  # all orders' litres set aside on the batch; blank when none
]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
CODE_ROLE = Qt.ItemDataRole.UserRole + 3
_NUMERIC = {COL_REMAINING, COL_INITIAL, COL_FAT, COL_VERSION, COL_TEMPERATURE, COL_RESERVED}
Index = QModelIndex | QPersistentModelIndex


class BatchTableModel(QAbstractTableModel):
    def __init__(self, zone: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._near_days = 3
        self._now = datetime.now().astimezone()
        self._all: dict[str, BatchRowView] = {}
        self._rows: list[BatchRowView] = []
        self._positions: dict[str, int] | None = None  # code → row, rebuilt on demand
        self._next_change = self._now
        self.data_version = 0  # bumps whenever the loaded batches change (caches key on it)
        self._filter = RowFilter()
        self._sort_column = COL_EXPIRES
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._style = StatusStyle(self._palette())
        self._limit_deci = DEFAULT_TEMPERATURE_LIMIT_DECI

    @staticmethod
    def _palette() -> QPalette:
        app = QApplication.instance()
        return app.palette() if isinstance(app, QApplication) else QPalette()

    # loading
    def set_batches(
        self, batches: Iterable[Batch], *, now: datetime, zone: tzinfo, near_days: int
    ) -> None:
        self.set_rows(
            classify(batches, now, zone, near_days), now=now, zone=zone, near_days=near_days
        )

    def set_rows(
        self, rows: list[BatchRowView], *, now: datetime, zone: tzinfo, near_days: int
    ) -> None:
        """Rows already classified (a worker thread does that for large tables)."""
        self._now, self._zone, self._near_days = now, zone, near_days
        self._all = {row.batch.code: row for row in rows}
        self._next_change = next_status_change(rows, now, zone)
        self.data_version += 1
        self._rebuild()

    def set_temperature_limit(self, limit_deci: int) -> None:
        """The plant's receipt-temperature limit (PlantSettings.temperature_limit_deci):
        loads above it are flagged in the Temp °C column."""
        if limit_deci == self._limit_deci:
            return
        self._limit_deci = limit_deci
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_TEMPERATURE), self.index(len(self._rows) - 1, COL_TEMPERATURE)
            )

    def temperature_limit(self) -> int:
        return self._limit_deci

    def set_filter(self, row_filter: RowFilter) -> None:
        self._filter = row_filter
        self._rebuild()

    def row_filter(self) -> RowFilter:
        return self._filter

    def tick(self, now: datetime) -> None:
        """Time passes: statuses move between bands even when no data changed.

        Reclassifying 100k rows costs ~0.1 s, so it is done only once a status can have
        changed (an expiry or local midnight has passed); otherwise only "time left" moves.
        """
        self._now = now
        if now >= self._next_change:
            self.set_batches(
                [r.batch for r in self._all.values()],
                now=now,
                zone=self._zone,
                near_days=self._near_days,
            )
        elif self._rows:
            top, bottom = (
                self.index(0, COL_TIME_LEFT),
                self.index(len(self._rows) - 1, COL_TIME_LEFT),
            )
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def upsert(self, batches: list[Batch], *, targeted_limit: int = 50) -> None:
        """Batches changed elsewhere: targeted dataChanged / insert / remove for a few,
        one reset for many (a reset beats thousands of single-row updates)."""
        rows = classify(batches, self._now, self._zone, self._near_days)
        if len(rows) > targeted_limit:
            self._all.update((row.batch.code, row) for row in rows)
            self._next_change = next_status_change(self._all.values(), self._now, self._zone)
            self.data_version += 1
            self._rebuild()
            return
        accepts = self._filter.predicate()
        for row in rows:
            self._all[row.batch.code] = row
            self._next_change = min(
                self._next_change, next_status_change([row], self._now, self._zone)
            )
            self.data_version += 1
            position = self.row_of(row.batch.code)
            wanted = accepts(row)
            if position is not None and wanted:
                self._rows[position] = row
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(COLUMNS) - 1)
                )
            elif position is not None:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self._positions = None
                self.endRemoveRows()
            elif wanted:
                at = self._insertion_point(row)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, row)
                self._positions = None
                self.endInsertRows()

    def _insertion_point(self, row: BatchRowView) -> int:
        """Binary search in the current order (ascending or descending) for a new row."""
        key = SORT_KEYS[COLUMNS[self._sort_column][0]]
        wanted, descending = key(row), self._sort_order == Qt.SortOrder.DescendingOrder
        low, high = 0, len(self._rows)
        while low < high:
            middle = (low + high) // 2
            here = key(self._rows[middle])
            before = here >= wanted if descending else here <= wanted
            low, high = (middle + 1, high) if before else (low, middle)
        return low

    def _rebuild(self) -> None:
        self.beginResetModel()
        accepts = self._filter.predicate()
        rows = [r for r in self._all.values() if accepts(r)]
        key = SORT_KEYS[COLUMNS[self._sort_column][0]]
        rows.sort(key=key, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        self._rows = rows
        self._positions = None
        self.endResetModel()

    # queries
    def row_of(self, code: str) -> int | None:
        if self._positions is None:
            self._positions = {row.batch.code: i for i, row in enumerate(self._rows)}
        return self._positions.get(code)

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
        persistent = self.persistentIndexList()
        # Only the few rows views hold on to (selection, current) need remapping.
        held = [
            self._rows[p.row()].batch.code if 0 <= p.row() < len(self._rows) else None
            for p in persistent
        ]
        self._rows.sort(
            key=SORT_KEYS[COLUMNS[column][0]], reverse=order == Qt.SortOrder.DescendingOrder
        )
        self._positions = None
        moved = []
        for index, code in zip(persistent, held, strict=True):
            row = self.row_of(code) if code is not None else None
            moved.append(QModelIndex() if row is None else self.index(row, index.column()))
        self.changePersistentIndexList(persistent, moved)
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
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_STATUS:
                return self._style.icon(row.status)
            if column == COL_TEMPERATURE and self._is_warm(row):
                return self._style.warm_icon()
            return None
        if role == Qt.ItemDataRole.FontRole:
            if row.status == BatchStatus.DELETED:
                return self._style.struck
            if column == COL_TEMPERATURE and self._is_warm(row):
                return self._style.warm
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
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

    def _is_warm(self, row: BatchRowView) -> bool:
        return is_over_limit(row.batch.temperature_deci, self._limit_deci)

    def _tooltip(self, row: BatchRowView, column: int) -> str:
        batch = row.batch
        if column == COL_TEMPERATURE and self._is_warm(row):
            received = self._display(row, COL_TEMPERATURE)
            limit = format_decimal(Decimal(self._limit_deci) / 10, 1)
            return f"{batch.code}: received at {received} °C, above the plant's limit of {limit} °C"
        if column == COL_SUPPLIER and (batch.supplier or batch.tanker or batch.seal):
            parts = [
                f"{label} {value}"
                for label, value in (
                    ("supplier", batch.supplier),
                    ("tanker", batch.tanker),
                    ("seal", batch.seal),
                )
                if value
            ]
            return f"{batch.code}: {' · '.join(parts)}"
        if column == COL_RESERVED and batch.reserved_ml:
            available = format_decimal(batch.available_liters, 3)
            return (
                f"{batch.code}: {self._display(row, COL_RESERVED)} L reserved for orders, "
                f"{available} L available to others (View → Reservations lists them)"
            )
        return f"{batch.code}: {STATUS_HINTS[row.status]}"

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
        if column == COL_SUPPLIER:
            return batch.supplier or ""
        if column == COL_TEMPERATURE:
            celsius = batch.temperature_c
            return "" if celsius is None else format_decimal(celsius, 1)
        if column == COL_RESERVED:
            return format_decimal(batch.reserved_liters, 3) if batch.reserved_ml else ""
        return str(batch.version)

    def restyle(self) -> None:
        """The palette changed (light/dark switch): rebuild the cached brushes."""
        self._style = StatusStyle(self._palette())
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )
