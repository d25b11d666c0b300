"""The daily expiry sheet from the window: print preview (printer and paper chosen there),
or a PDF rendered in the background while the window stays usable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPagedPaintDevice
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.errors import DairyError
from dairy_desktop.printing.page_setup import sheet_page_layout
from dairy_desktop.printing.sheet.data import DailySheet
from dairy_desktop.printing.sheet.render import render_sheet, render_sheet_pdf
from dairy_desktop.printing.sheet.source import sheet_from_listing
from dairy_desktop.services.reservations import list_reservations
from dairy_desktop.ui.dialogs.sheet_options_dialog import SheetOptionsDialog
from dairy_desktop.ui.main.context import MESSAGE_MS, MainContext
from dairy_desktop.ui.preferences.print_settings import ask_pdf_path

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession


def _error_text(error: BaseException) -> str:
    return str(error) if isinstance(error, DairyError | OSError) else f"Unexpected error: {error}"


class SheetPrintFlow(QObject):
    """`preview_opened(dialog)` and `exported(path, pages)` let tests and callers follow along."""

    preview_opened = Signal(object)
    exported = Signal(object, int)

    def __init__(self, context: MainContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.exporting = False

    def _session(self) -> AppSession | None:
        session = self._context.session
        if session is None:
            self._context.show_message(
                "Not connected: the daily sheet needs current data from the database.", MESSAGE_MS
            )
        return session

    def ask_options(self, action: str) -> tuple[date, int] | None:
        settings = self._context.settings
        dialog = SheetOptionsDialog(
            today=utc_now().astimezone(settings.zone).date(),
            days=settings.near_expiry_days,
            zone_name=settings.time_zone,
            action=action,
            parent=self._context.dialog_parent,
        )
        self._context.dialog_opened.emit(dialog)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        choice = dialog.sheet_date(), dialog.days()
        dialog.deleteLater()
        return choice if accepted else None

    # print preview
    def print_preview(self) -> None:
        session = self._session()
        choice = self.ask_options("Pre&view…") if session else None
        if session is None or choice is None:
            return
        sheet_date, days = choice
        self._context.show_message("Loading the daily sheet…")
        self._context.runner.run(
            lambda: sheet_from_listing(
                session.listing(),
                session.actor,
                sheet_date=sheet_date,
                days=days,
                reservations=list_reservations(session.database),
            ),
            # Opened once the loading task has finished: the modal preview must not keep
            # the window's busy indicator on while the operator reads it.
            lambda sheet: QTimer.singleShot(0, lambda: self._preview(sheet)),
            lambda error: self._failed("Not printed", error),
        )

    def _preview(self, sheet: DailySheet) -> None:
        context = self._context
        context.clear_message()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(sheet_page_layout())
        printer.setDocName(f"{sheet.title} {sheet.sheet_date.isoformat()}")
        dialog = QPrintPreviewDialog(printer, context.dialog_parent)
        dialog.setObjectName("sheetPreview")
        dialog.setWindowTitle(f"Print preview — {sheet.title} {sheet.sheet_date_text}")
        dialog.resize(900, 1000)
        dialog.paintRequested.connect(lambda device: self._paint(sheet, device, dialog))
        context.dialog_opened.emit(dialog)
        self.preview_opened.emit(dialog)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            where = printer.outputFileName() or printer.printerName() or "the printer"
            context.show_message(
                f"{sheet.title} for {sheet.sheet_date.isoformat()} sent to {where}.", MESSAGE_MS
            )
        dialog.deleteLater()

    def _paint(self, sheet: DailySheet, device: QPagedPaintDevice, parent: QWidget) -> None:
        try:
            render_sheet(sheet, device)
        except (DairyError, OSError) as error:
            # Raised before anything reached the printer (e.g. paper too narrow); told once
            # the preview has finished its own update, not from inside it.
            text = str(error)
            QTimer.singleShot(0, lambda: QMessageBox.warning(parent, "Cannot print", text))

    # PDF export
    def export_pdf(self) -> None:
        if self.exporting:
            self._context.show_message("The daily sheet is still being exported…")
            return
        session = self._session()
        choice = self.ask_options("&Export…") if session else None
        if session is None or choice is None:
            return
        sheet_date, days = choice
        path = ask_pdf_path(
            self._context.dialog_parent,
            "Export daily sheet as PDF",
            f"expiry-sheet-{sheet_date}.pdf",
        )
        if path is None:
            return
        self.exporting = True
        self._context.show_message(f"Exporting the daily sheet to {path}…")

        def work() -> tuple[Path, int]:
            sheet = sheet_from_listing(
                session.listing(),
                session.actor,
                sheet_date=sheet_date,
                days=days,
                reservations=list_reservations(session.database),
            )
            return path, render_sheet_pdf(sheet, path)

        self._context.runner.run(work, self._exported, lambda e: self._failed("Not exported", e))

    def _exported(self, result: tuple[Path, int]) -> None:
        self.exporting = False
        path, pages = result
        noun = "page" if pages == 1 else "pages"
        self._context.show_message(
            f"Daily expiry sheet saved: {path} ({pages} {noun}).", MESSAGE_MS
        )
        self.exported.emit(path, pages)

    def _failed(self, title: str, error: BaseException) -> None:
        self.exporting = False
        self._context.clear_message()
        QMessageBox.warning(self._context.dialog_parent, title, _error_text(error))
