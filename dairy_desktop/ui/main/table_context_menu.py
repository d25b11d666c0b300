"""The batch table's right-click menu, also on the keyboard: the Menu key and Shift+F10.

Qt turns the Menu key into a context-menu event placed where the mouse happens to be, and
Shift+F10 into nothing at all (outside Windows). Both open the menu here at the current
row instead, where the operator is looking. A right click keeps Qt's own handling.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QMenu, QTableView


class KeyboardContextMenu(QObject):
    """Installed on `table`; the menu lists the table's own actions (`table.actions()`)."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self.menu: QMenu | None = None  # the one open now, for tests and to avoid stacking
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._table:
            return False
        keyboard_menu = (
            isinstance(event, QContextMenuEvent)
            and event.reason() == QContextMenuEvent.Reason.Keyboard
        )
        shift_f10 = (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_F10
            and (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
            == Qt.KeyboardModifier.ShiftModifier
        )
        if keyboard_menu or shift_f10:
            self.open_at_current_row()
            return True
        return False

    def anchor(self) -> QPoint:
        """Just below the start of the current row (the middle of the table if none)."""
        table = self._table
        viewport = table.viewport()
        index = table.currentIndex()
        rect = table.visualRect(table.model().index(index.row(), 0)) if index.isValid() else None
        if rect is None or not rect.isValid() or not viewport.rect().intersects(rect):
            return viewport.mapToGlobal(viewport.rect().center())
        return viewport.mapToGlobal(QPoint(rect.left() + 12, rect.bottom()))

    def open_at_current_row(self) -> None:
        actions = [action for action in self._table.actions() if action.isVisible()]
        if not actions:
            return
        if self.menu is not None:
            self.menu.close()
        menu = QMenu(self._table)
        menu.setObjectName("batchContextMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addActions(actions)
        menu.aboutToHide.connect(self._forget)
        self.menu = menu
        menu.popup(self.anchor())

    def _forget(self) -> None:
        self.menu = None
