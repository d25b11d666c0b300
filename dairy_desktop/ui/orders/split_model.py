"""The batches an order's litres are to come from, as a table the operator edits.

One row per batch: its code, when it expires (plant time), the litres it can give this
order, and the litres to take from it (the one editable column). The litres are typed
and shown in the PC's number format (ui.widgets.locale_decimal): "1,000" is one thousand
in en-US, never one litre; text that cannot be read without guessing is refused with the
reason (`edit_refused`), and the row keeps what it had.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.liters import from_milliliters, parse_liters, to_milliliters
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_decimal, plain_number
from dairy_desktop.ui.widgets.time_format import local_time_text

COL_CODE, COL_EXPIRES, COL_AVAILABLE, COL_TAKE = range(4)
HEADERS = ("Batch", "Expires", "Available L", "Take L")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class SplitLine:
    """Take `take_ml` from batch `code`, as seen at `version` with `available_ml` it
    could give the order."""

    code: str
    expires_at: datetime
    available_ml: int
    version: int
    take_ml: int


class SplitModel(QAbstractTableModel):
    """`edited()` after every change of the lines; `edit_refused(reason)` when typed
    litres could not be read."""

    edited = Signal()
    edit_refused = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[SplitLine] = []

    # the lines
    def lines(self) -> list[SplitLine]:
        return list(self._lines)

    def set_lines(self, lines: list[SplitLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()
        self.edited.emit()

    def add(self, line: SplitLine) -> int:
        """Append `line` (a batch already listed is not added twice); its row."""
        for row, present in enumerate(self._lines):
            if present.code == line.code:
                return row
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(line)
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if not 0 <= row < len(self._lines):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._lines[row]
        self.endRemoveRows()
        self.edited.emit()

    def set_take(self, row: int, milliliters: int) -> None:
        self._lines[row] = replace(self._lines[row], take_ml=milliliters)
        index = self.index(row, COL_TAKE)
        self.dataChanged.emit(index, index)
        self.edited.emit()

    def total_ml(self) -> int:
        return sum(line.take_ml for line in self._lines)

    # the model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == COL_TAKE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line, column = self._lines[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.EditRole and column == COL_TAKE:
            # For typing over: the locale's decimal point, no group separators.
            return plain_decimal(from_milliliters(line.take_ml), 3)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = column in (COL_AVAILABLE, COL_TAKE)
            horizontal = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_TAKE:
            return "Type the litres to take from this batch (F2 or double-click to edit)"
        return None

    def _display(self, line: SplitLine, column: int) -> str:
        if column == COL_CODE:
            return line.code
        if column == COL_EXPIRES:
            return local_time_text(line.expires_at)
        if column == COL_AVAILABLE:
            return format_decimal(from_milliliters(line.available_ml), 3)
        return format_decimal(from_milliliters(line.take_ml), 3)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != COL_TAKE or role != Qt.ItemDataRole.EditRole:
            return False
        code = self._lines[index.row()].code
        try:
            plain = plain_number(str(value), what=f"Litres for {code}", field="split")
            milliliters = to_milliliters(parse_liters(plain))
        except InvalidInput as problem:
            self.edit_refused.emit(str(problem))
            return False
        self.set_take(index.row(), milliliters)
        return True
