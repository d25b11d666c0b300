"""A read-only table of trace facts: text cells, with real values to sort by.

A trace holds tens of rows, not thousands, so the rows are kept whole and sorted in Python
(never through a proxy calling data() per comparison).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1
"""A cell's real value (a datetime, a Decimal, an id) for sorting."""


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    sort: Any = None  # None: sort by the text
    numeric: bool = False  # right-aligned, as figures are
    tip: str | None = None

    @property
    def key(self) -> Any:
        return self.text if self.sort is None else self.sort


@dataclass(frozen=True, slots=True)
class FactRow:
    cells: tuple[Cell, ...]
    # Greyed and struck out in words (a reversed use reads "reversed" in its own column too).
    muted: bool = False


class FactTableModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[FactRow] = []
        # The view's last sort, kept for new rows: a reset does not make the view sort again.
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[FactRow]) -> None:
        for row in rows:
            if len(row.cells) != len(self._headers):
                raise ValueError(f"a row of {len(row.cells)} cells for {len(self._headers)}")
        self.beginResetModel()
        self._rows = list(rows)
        if self._sorted_by is not None:
            self._sort_rows(*self._sorted_by)
        self.endResetModel()

    def row_at(self, row: int) -> FactRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def texts(self) -> list[list[str]]:
        """Every row's cell texts, as shown (for tests and copying)."""
        return [[cell.text for cell in row.cells] for row in self._rows]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._headers):
            return None
        row = self._rows[index.row()]
        cell = row.cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip
        if role == Qt.ItemDataRole.TextAlignmentRole and cell.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.muted:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == SortRole:
            return cell.key
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._headers):
            return
        self._sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        # Stable: rows equal in this column keep the order they had (the order of events).
        self._rows.sort(
            key=lambda row: _comparable(row.cells[column].key),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )


def _comparable(key: Any) -> tuple[int, Any]:
    """Blanks last, whatever else the column holds."""
    return (1, "") if key is None or key == "" else (0, key)
