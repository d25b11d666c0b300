"""Where printed output goes outside the window: a Qt app for painting, and named printers."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from dairy_desktop.domain.errors import InvalidInput

_app: QCoreApplication | None = None


def needs_offscreen(platform: str, environ: dict[str, str] | os._Environ[str]) -> bool:
    """True on a Linux box with no display (a cron job, a server): Qt would abort there.

    Windows and macOS always have their native platform, even in a scheduled task, and
    an explicit QT_QPA_PLATFORM is the user's choice.
    """
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return False
    return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def ensure_gui_app() -> QCoreApplication:
    """The running Q(Gui)Application, or a new QGuiApplication: fonts and printers need one."""
    global _app
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    if needs_offscreen(sys.platform, os.environ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Kept in a global: a collected application takes Qt's font database with it.
    _app = QGuiApplication(sys.argv[:1] or ["dairy-desktop"])
    return _app


def available_printers() -> list[str]:
    return sorted(QPrinterInfo.availablePrinterNames(), key=str.casefold)


def require_printer(name: str) -> str:
    """`name` if such a printer is installed; else a refusal that lists the ones that are."""
    names = available_printers()
    if name in names:
        return name
    listed = ", ".join(repr(n) for n in names) if names else "none (no printer is installed)"
    raise InvalidInput(f"No printer named {name!r}. Available printers: {listed}.", field="printer")


def printer_page_size(name: str) -> QPageSize | None:
    """The printer's own default paper, when the driver reports one."""
    size = QPrinterInfo.printerInfo(name).defaultPageSize()
    return size if size.isValid() else None


def named_printer(name: str, layout: QPageLayout, doc_name: str) -> QPrinter:
    """A printer set up for `layout`; nothing is sent until something paints on it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(name)
    printer.setDocName(doc_name)
    if not printer.setPageLayout(layout):
        raise InvalidInput(
            f"Printer {name!r} cannot print on {layout.pageSize().name()}.", field="printer"
        )
    return printer
