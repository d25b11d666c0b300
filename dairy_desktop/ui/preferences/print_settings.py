"""Printing choices remembered per PC user: label size and printer, the register-dialog
"Print label" box, and the folder PDFs were last saved in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from dairy_desktop.ui.preferences.window_state import ui_settings

WIDTH_KEY = "labels/width_mm"
HEIGHT_KEY = "labels/height_mm"
PRINTER_KEY = "labels/printer"
AFTER_REGISTER_KEY = "labels/print_after_register"
PDF_DIR_KEY = "printing/pdf_dir"


def _number(key: str, default: float) -> float:
    # INI files hand every value back as text; a hand-edited bad value means "default".
    try:
        value = float(str(ui_settings().value(key, default)))
    except ValueError:
        return default
    return value if value > 0 else default


def label_size_mm() -> tuple[float, float]:
    # Imported here: the window installs printing at start-up, before any label is printed.
    from dairy_desktop.printing.label.render import DEFAULT_LABEL_MM

    width, height = DEFAULT_LABEL_MM
    return _number(WIDTH_KEY, width), _number(HEIGHT_KEY, height)


def set_label_size_mm(width: float, height: float) -> None:
    settings = ui_settings()
    settings.setValue(WIDTH_KEY, width)
    settings.setValue(HEIGHT_KEY, height)


def label_printer() -> str:
    return str(ui_settings().value(PRINTER_KEY, "") or "")


def set_label_printer(name: str) -> None:
    ui_settings().setValue(PRINTER_KEY, name)


def print_after_register() -> bool:
    return str(ui_settings().value(AFTER_REGISTER_KEY, "false")).lower() == "true"


def set_print_after_register(on: bool) -> None:
    ui_settings().setValue(AFTER_REGISTER_KEY, "true" if on else "false")


def ask_pdf_path(parent: QWidget, title: str, file_name: str) -> Path | None:
    """Where to save a PDF (None if cancelled), starting in the folder used last time."""
    folder = str(ui_settings().value(PDF_DIR_KEY, "") or "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, str(Path(folder) / file_name), "PDF files (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    ui_settings().setValue(PDF_DIR_KEY, str(path.parent))
    return path
