"""Printing in the main window: the daily sheet (File menu) and batch labels (context menu,
Batch menu, and straight after registering a delivery when "Print label" is ticked).

Installed on a window (`install_printing_actions(window)`) through the few things it offers
(`PrintingHost`), so the window stays about batches and this module about paper. Qt's print support and the
renderers load on first use, not while the window is starting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QTableView

from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.main.context import MESSAGE_MS, MainContext
from dairy_desktop.ui.preferences import print_settings

if TYPE_CHECKING:
    from dairy_desktop.services.register import Registered
    from dairy_desktop.ui.main.sheet_print_flow import SheetPrintFlow

OBJECT_NAME = "printingActions"


class PrintingHost(MainContext, Protocol):
    """A window with a File and a Batch menu, a batch table and a selected batch."""

    @property
    def file_menu(self) -> QMenu: ...

    @property
    def batch_menu(self) -> QMenu: ...

    @property
    def act_settings(self) -> QAction: ...

    @property
    def table(self) -> QTableView: ...

    def selected_batch(self) -> Batch | None: ...


def install_printing_actions(host: PrintingHost) -> None:
    """Add the printing actions to `host`; a second call changes nothing."""
    if host.dialog_parent.findChild(PrintingActions, OBJECT_NAME) is None:
        PrintingActions(host)


def printing_actions(host: PrintingHost) -> PrintingActions:
    found = host.dialog_parent.findChild(PrintingActions, OBJECT_NAME)
    if found is None:
        raise LookupError("install_printing_actions(window) has not been called")
    return found


class PrintingActions(QObject):
    def __init__(self, host: PrintingHost) -> None:
        parent = host.dialog_parent
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self._host = host
        self._sheets: SheetPrintFlow | None = None
        self.act_print_sheet = _action(
            parent, "&Print daily expiry sheet…", "Ctrl+P", lambda: self.sheets.print_preview()
        )
        self.act_export_sheet = _action(
            parent, "E&xport daily sheet as PDF…", "Ctrl+Shift+P", lambda: self.sheets.export_pdf()
        )
        self.act_print_label = _action(
            parent, "Print &label…", "Ctrl+Shift+B", self.print_selected_label
        )
        self._add_to_menus()
        host.dialog_opened.connect(self._dialog_opened)
        host.table.selectionModel().currentRowChanged.connect(self._update_enabled)
        host.table.model().modelReset.connect(self._update_enabled)
        self._update_enabled()

    @property
    def sheets(self) -> SheetPrintFlow:
        if self._sheets is None:
            # On first use: Qt's print support and the sheet renderer need not load at start.
            from dairy_desktop.ui.main.sheet_print_flow import SheetPrintFlow

            self._sheets = SheetPrintFlow(self._host, self)
        return self._sheets

    def _add_to_menus(self) -> None:
        host = self._host
        _insert_before(
            host.file_menu, [self.act_print_sheet, self.act_export_sheet], host.act_settings
        )
        host.table.addAction(self.act_print_label)
        host.batch_menu.addSeparator()
        host.batch_menu.addAction(self.act_print_label)

    def _update_enabled(self, *_args: object) -> None:
        self.act_print_label.setEnabled(self._host.selected_batch() is not None)

    # labels
    def print_selected_label(self) -> None:
        batch = self._host.selected_batch()
        if batch is None:
            self._host.show_message("Select a batch to print its label.", MESSAGE_MS)
            return
        self.print_label(batch)

    def print_label(self, batch: Batch) -> None:
        # On first use: the label dialog brings Qt's print support with it.
        from dairy_desktop.ui.dialogs.label_print_dialog import LabelPrintDialog

        host = self._host
        dialog = LabelPrintDialog(batch, host.settings.zone, host.dialog_parent)
        host.dialog_opened.emit(dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            host.show_message(dialog.outcome, MESSAGE_MS)
        dialog.deleteLater()

    def _dialog_opened(self, dialog: object) -> None:
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog

        if not isinstance(dialog, RegisterDialog):
            return
        box = dialog.print_label
        box.setChecked(print_settings.print_after_register())
        box.toggled.connect(print_settings.set_print_after_register)

        def registered(result: Registered) -> None:
            self._registered(box.isChecked(), result.batch)

        dialog.registered.connect(registered)

    def _registered(self, print_label: bool, batch: Batch) -> None:
        if print_label:
            # After the register dialog has closed: one modal dialog at a time.
            QTimer.singleShot(0, lambda: self.print_label(batch))


def _action(
    parent: QObject, text: str, shortcut: str | None, slot: Callable[[], object]
) -> QAction:
    action = QAction(text, parent)
    tip = text.replace("&", "").rstrip("…")
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        tip += f" ({action.shortcut().toString()})"
    action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _insert_before(menu: QMenu, actions: list[QAction], settings: QAction) -> None:
    """File: register, sample | print, export | settings | quit (appended if no settings)."""
    entries = menu.actions()
    if settings not in entries:
        menu.addSeparator()
        menu.addActions(actions)
        return
    index = entries.index(settings)
    anchor = entries[index - 1] if index > 0 and entries[index - 1].isSeparator() else settings
    menu.insertSeparator(anchor)
    menu.insertActions(anchor, actions)
    if anchor is settings:
        menu.insertSeparator(settings)
