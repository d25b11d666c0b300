"""Printing in the main window: the daily sheet (File menu) and batch labels (context menu,
Batch menu, and straight after registering a delivery when "Print label" is ticked).

Installed from outside the window's own code (`install_printing_actions(window)`), so the
window stays about batches and this module about paper. Qt's print support and the
renderers load on first use, not while the window is starting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.preferences import print_settings

if TYPE_CHECKING:
    from dairy_desktop.ui.main.sheet_print_flow import SheetPrintFlow
    from dairy_desktop.ui.main.window import MainWindow

OBJECT_NAME = "printingActions"
MESSAGE_MS = 20_000


def install_printing_actions(window: MainWindow) -> None:
    """Add the printing actions to `window`; a second call changes nothing."""
    if window.findChild(PrintingActions, OBJECT_NAME) is None:
        PrintingActions(window)


def printing_actions(window: MainWindow) -> PrintingActions:
    found = window.findChild(PrintingActions, OBJECT_NAME)
    if found is None:
        raise LookupError("install_printing_actions(window) has not been called")
    return found


class PrintingActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName(OBJECT_NAME)
        self._window = window
        self._sheets: SheetPrintFlow | None = None
        self.act_print_sheet = _action(
            window, "&Print daily expiry sheet…", "Ctrl+P", lambda: self.sheets.print_preview()
        )
        self.act_export_sheet = _action(
            window, "E&xport daily sheet as PDF…", "Ctrl+Shift+P", lambda: self.sheets.export_pdf()
        )
        self.act_print_label = _action(window, "Print &label…", None, self.print_selected_label)
        self._add_to_menus()
        window.dialog_opened.connect(self._dialog_opened)
        window.table.selectionModel().currentRowChanged.connect(self._update_enabled)
        window.model.modelReset.connect(self._update_enabled)
        self._update_enabled()

    @property
    def sheets(self) -> SheetPrintFlow:
        if self._sheets is None:
            from dairy_desktop.ui.main.sheet_print_flow import SheetPrintFlow

            self._sheets = SheetPrintFlow(self._window)
        return self._sheets

    def _add_to_menus(self) -> None:
        window = self._window
        _insert_before_settings(
            window.file_menu,
            [self.act_print_sheet, self.act_export_sheet],
            getattr(window, "act_settings", None),
        )
        window.table.addAction(self.act_print_label)
        batch_menu = _menu_named(window, "Batch")
        if batch_menu is not None:
            batch_menu.addSeparator()
            batch_menu.addAction(self.act_print_label)

    def _update_enabled(self, *_args: Any) -> None:
        self.act_print_label.setEnabled(self._window.selected_batch() is not None)

    # labels
    def print_selected_label(self) -> None:
        batch = self._window.selected_batch()
        if batch is None:
            self._window.statusBar().showMessage("Select a batch to print its label.", MESSAGE_MS)
            return
        self.print_label(batch)

    def print_label(self, batch: Batch) -> None:
        from dairy_desktop.ui.dialogs.label_print_dialog import LabelPrintDialog

        window = self._window
        dialog = LabelPrintDialog(batch, window.settings.zone, window)
        window.dialog_opened.emit(dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            window.statusBar().showMessage(dialog.outcome, MESSAGE_MS)
        dialog.deleteLater()

    def _dialog_opened(self, dialog: object) -> None:
        if not isinstance(dialog, RegisterDialog):
            return
        box = dialog.print_label
        box.setChecked(print_settings.print_after_register())
        box.toggled.connect(print_settings.set_print_after_register)
        dialog.registered.connect(lambda result: self._registered(box.isChecked(), result.batch))

    def _registered(self, print_label: bool, batch: Batch) -> None:
        if print_label:
            # After the register dialog has closed: one modal dialog at a time.
            QTimer.singleShot(0, lambda: self.print_label(batch))


def _action(window: MainWindow, text: str, shortcut: str | None, slot: Any) -> QAction:
    action = QAction(text, window)
    tip = text.replace("&", "").rstrip("…")
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        tip += f" ({action.shortcut().toString()})"
    action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _menu_named(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text().replace("&", "") == title:
            return menu
    return None


def _insert_before_settings(menu: QMenu, actions: list[QAction], settings: QAction | None) -> None:
    """File: register, sample | print, export | settings | quit (appended if no settings)."""
    entries = menu.actions()
    if settings not in entries:
        menu.addSeparator()
        menu.addActions(actions)
        return
    assert settings is not None
    index = entries.index(settings)
    anchor = entries[index - 1] if index > 0 and entries[index - 1].isSeparator() else settings
    menu.insertSeparator(anchor)
    menu.insertActions(anchor, actions)
    if anchor is settings:
        menu.insertSeparator(settings)
