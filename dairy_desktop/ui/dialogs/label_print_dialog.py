"""Print one batch label: choose the printer (or a PDF file) and the label size, then print.

Printer and size are remembered, so after registering a delivery one Enter prints.
A label the size cannot hold is refused here, in the dialog, before the printer feeds one.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import DairyError
from dairy_desktop.printing import print_target
from dairy_desktop.printing.label.render import label_page_layout, render_label, render_label_pdf
from dairy_desktop.ui.preferences import print_settings
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons
from dairy_desktop.ui.widgets.message_labels import message_banner

PDF_CHOICE = "Save as PDF file…"
MIN_LABEL_MM, MAX_LABEL_MM = 20.0, 300.0
MIN_WIDTH = 420


class LabelPrintDialog(QDialog):
    def __init__(self, batch: Batch, zone: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._batch, self._zone = batch, zone
        self.outcome = ""
        self.setWindowTitle(f"Print label — {batch.code}")
        self.setMinimumWidth(MIN_WIDTH)  # so a window manager need not cut the title short
        self.setObjectName("labelPrintDialog")
        layout = QVBoxLayout(self)
        heading = QLabel(f"Label for batch <b>{batch.code}</b>")  # also where titles are cut
        heading.setObjectName("labelHeading")
        layout.addWidget(heading)
        form = QFormLayout()

        self.printer_box = QComboBox()
        self.printer_box.setObjectName("labelPrinter")
        for name in print_target.available_printers():
            self.printer_box.addItem(name, name)
        self.printer_box.addItem(PDF_CHOICE, None)
        self._select_printer()
        form.addRow("P&rinter:", self.printer_box)  # Alt+P is the Print button's

        width, height = print_settings.label_size_mm()
        self.width_spin, self.height_spin = _mm_spin(width), _mm_spin(height)
        self.width_spin.setObjectName("labelWidth")
        self.height_spin.setObjectName("labelHeight")
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        size_row.addStretch(1)  # the two sizes stay side by side, the spare width after them
        size_label = QLabel("Label &size (w × h):")
        size_label.setBuddy(self.width_spin)
        form.addRow(size_label, size_row)
        layout.addLayout(form)

        self.message = message_banner()
        layout.addWidget(self.message)

        self.buttons, self.print_button = primary_buttons(self, "&Print")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _select_printer(self) -> None:
        # The label printer used last time, else the system default, else PDF.
        for name in (print_settings.label_printer(), QPrinterInfo.defaultPrinterName()):
            index = self.printer_box.findData(name) if name else -1
            if index >= 0:
                self.printer_box.setCurrentIndex(index)
                return
        self.printer_box.setCurrentIndex(self.printer_box.count() - 1)

    def size_mm(self) -> tuple[float, float]:
        return self.width_spin.value(), self.height_spin.value()

    def submit(self) -> None:
        size, printer = self.size_mm(), self.printer_box.currentData()
        print_settings.set_label_size_mm(*size)
        print_settings.set_label_printer(printer or "")
        try:
            if printer is None:
                path = print_settings.ask_pdf_path(
                    self, "Save label as PDF", f"label-{self._batch.code}.pdf"
                )
                if path is None:
                    return
                self._save_pdf(path, size)
            else:
                self._print(printer, size)
        except (DairyError, OSError) as error:
            self.message.setText(str(error))
            self.message.show()
            return
        self.accept()

    def _save_pdf(self, path: Path, size: tuple[float, float]) -> None:
        render_label_pdf(self._batch, path, zone=self._zone, size_mm=size)
        self.outcome = f"Label for batch {self._batch.code} saved to {path}."

    def _print(self, name: str, size: tuple[float, float]) -> None:
        doc = f"Batch label {self._batch.code}"
        printer = print_target.named_printer(name, label_page_layout(size), doc)
        render_label(self._batch, printer, zone=self._zone)
        self.outcome = f"Label for batch {self._batch.code} sent to printer {name}."


def _mm_spin(value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    # One decimal: inch-sized label stock is 101.6 × 50.8 mm.
    spin.setDecimals(1)
    spin.setRange(MIN_LABEL_MM, MAX_LABEL_MM)
    spin.setSuffix(" mm")
    spin.setValue(value)
    return spin
