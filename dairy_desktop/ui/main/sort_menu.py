"""View → Sort by: the table's sort order for someone on the keyboard.

A header click is the only other way to sort, and the header never takes keyboard focus.
Ctrl+1 … Ctrl+9 sort by the table's columns in their order, and the digit row goes on with
Ctrl+0 (Temp °C), Ctrl+- (Supplier) and Ctrl+= (Reserved); choosing the column already sorted by reverses it,
as a second header click does. The menu follows the header too, so both always say the same.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from dairy_desktop.ui.main.batch_table_model import COLUMNS

# Each with its own Alt key within the menu (Received and Remaining share the R).
_MENU_TEXT = {
    "code": "&Code",
    "received": "&Received",
    "expires": "&Expires",
    "time_left": "&Time left",
    "remaining": "Re&maining litres",
    "initial": "&Initial litres",
    "fat": "&Fat %",
    "status": "&Status",
    "version": "&Version",
    "temperature": "Tem&perature °C",
    "supplier": "S&upplier",
    "reserved": "Reserved &litres",
}
# The digit row, left to right: the keys' order is the columns' order.
SHORTCUT_KEYS = [*(str(digit) for digit in range(1, 10)), "0", "-", "="]
_ARROW = {Qt.SortOrder.AscendingOrder: "↑", Qt.SortOrder.DescendingOrder: "↓"}


def sort_menu(table: QTableView, parent: QWidget) -> QMenu:
    menu = QMenu("S&ort by", parent)
    header = table.horizontalHeader()
    group = QActionGroup(menu)
    entries: list[QAction] = []

    def sort_by(column: int) -> None:
        order = Qt.SortOrder.AscendingOrder
        if header.sortIndicatorSection() == column:
            order = (
                Qt.SortOrder.DescendingOrder
                if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                else Qt.SortOrder.AscendingOrder
            )
        table.sortByColumn(column, order)

    for column, (key, _title) in enumerate(COLUMNS):
        action = menu.addAction(_MENU_TEXT[key])
        action.setCheckable(True)
        action.setShortcut(QKeySequence(f"Ctrl+{SHORTCUT_KEYS[column]}"))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, c=column: sort_by(c))
        entries.append(action)
    parent.window().addActions(entries)  # the shortcuts work with the menu closed

    def follow(column: int, order: Qt.SortOrder) -> None:
        for index, action in enumerate(entries):
            text = _MENU_TEXT[COLUMNS[index][0]]
            action.setText(f"{text}  {_ARROW[order]}" if index == column else text)
        if 0 <= column < len(entries):
            entries[column].setChecked(True)

    header.sortIndicatorChanged.connect(follow)
    follow(header.sortIndicatorSection(), header.sortIndicatorOrder())
    return menu
