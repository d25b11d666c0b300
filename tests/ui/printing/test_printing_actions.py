"""Printing from the window: print preview, PDF export, labels from the context menu and
after registering, with the choices remembered."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import GS1Scan
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.printing import print_target
from dairy_desktop.printing.sheet.render import page_count
from dairy_desktop.printing.sheet.source import sheet_from_listing
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.label_print_dialog import PDF_CHOICE, LabelPrintDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.dialogs.sheet_options_dialog import SheetOptionsDialog
from dairy_desktop.ui.main.printing_actions import (
    PrintingActions,
    install_printing_actions,
    printing_actions,
)
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.preferences import print_settings
from dairy_desktop.ui.preferences.window_state import ui_settings
from dairy_desktop.ui.tasks import TaskRunner
from tests.support.databases import SqliteFactory
from tests.ui.printing.conftest import decode_barcodes, pdf_page_texts, rasterise

SHEET_DATE = date(2025, 12, 4)
CODE = "SCH-20251204-0001"
Handlers = dict[type, Callable[[Any], None]]


@pytest.fixture
def database_url(sqlite_factory: SqliteFactory) -> Iterator[str]:
    """SQLite only: the window prints whatever the session loads, and the CLI tests run the
    same loading on both databases (a PostgreSQL window also takes seconds to close)."""
    url = sqlite_factory.new_url()
    yield url
    sqlite_factory.drop(url)


def _forget_print_settings() -> None:
    settings = ui_settings()
    for group in ("labels", "printing"):
        settings.remove(group)


@pytest.fixture(autouse=True)
def _fresh_print_settings() -> Iterator[None]:
    """The settings file is shared by the whole run: start from the defaults, and leave no
    ticked "Print label" box behind to open label dialogs in other tests."""
    _forget_print_settings()
    yield
    _forget_print_settings()


@pytest.fixture
def printing(window: MainWindow) -> PrintingActions:
    install_printing_actions(window)
    return printing_actions(window)


@pytest.fixture
def session(window: MainWindow) -> AppSession:
    assert window.session is not None
    return window.session


@pytest.fixture
def plant(window: MainWindow, session: AppSession) -> AppSession:
    """A Berlin plant with one batch expiring on the sheet's day and 70 in its plan horizon
    (enough for more than one page)."""
    session.update_plant_settings(
        PlantSettings(
            plant_name="Riverside Dairy", time_zone="Europe/Berlin", qa_release_required=False
        )
    )
    session.register(
        code=CODE,
        liters="1200",
        shelf_life_days=3,
        received_at=datetime(2025, 12, 1, 9, tzinfo=UTC),
        fat_percent="3.7",
    )
    for number in range(2, 72):
        session.register(
            code=f"SCH-20251204-{number:04d}",
            liters="500",
            shelf_life_days=3,
            received_at=datetime(2025, 12, 2, 6, tzinfo=UTC) + timedelta(minutes=20 * number),
            fat_percent=None,
        )
    window.reload()
    return session


@pytest.fixture
def on_dialogs(window: MainWindow) -> Iterator[Handlers]:
    """Drive each modal dialog by type, from inside its own event loop."""
    handlers: Handlers = {}

    def opened(dialog: QWidget) -> None:
        for kind, handle in handlers.items():
            if isinstance(dialog, kind):
                QTimer.singleShot(0, lambda handle=handle: handle(dialog))
                return

    window.dialog_opened.connect(opened)
    yield handlers
    window.dialog_opened.disconnect(opened)


def preview_widget(preview: QPrintPreviewDialog) -> QPrintPreviewWidget:
    widget = preview.findChild(QPrintPreviewWidget)
    assert widget is not None
    return widget


def choose_sheet(days: int = 3) -> Callable[[SheetOptionsDialog], None]:
    def choose(dialog: SheetOptionsDialog) -> None:
        dialog.set_choice(SHEET_DATE, days)
        dialog.ok_button.click()

    return choose


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The file dialog answers tmp_path/<the proposed name>; the proposals are recorded."""
    proposed: list[str] = []

    def answer(_parent: QWidget, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        proposed.append(suggested)
        return str(tmp_path / Path(suggested).stem), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return proposed


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def warn(_parent: QWidget, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warn))
    return shown


def test_the_menus_offer_sheet_and_label_printing(
    window: MainWindow, printing: PrintingActions
) -> None:
    file_entries = [a.text() for a in window.file_menu.actions()]
    sheet, export = printing.act_print_sheet, printing.act_export_sheet

    assert sheet.shortcut().toString() == "Ctrl+P"
    assert export.shortcut().toString() == "Ctrl+Shift+P"
    assert file_entries.index(sheet.text()) < file_entries.index(window.act_settings.text())
    assert file_entries.index(export.text()) == file_entries.index(sheet.text()) + 1
    assert printing.act_print_label in window.table.actions()
    batch_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Batch")
    assert isinstance(batch_menu, QMenu)
    assert printing.act_print_label in batch_menu.actions()


def test_installing_twice_adds_nothing(window: MainWindow, printing: PrintingActions) -> None:
    before = len(window.file_menu.actions())

    install_printing_actions(window)

    assert len(window.file_menu.actions()) == before
    assert len(window.findChildren(PrintingActions)) == 1


def test_print_preview_lays_out_the_pages_the_sheet_needs(
    window: MainWindow,
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    seen: dict[str, Any] = {}

    def look(preview: QPrintPreviewDialog) -> None:
        widget = preview_widget(preview)
        qtbot.waitUntil(lambda: widget.pageCount() > 0)
        seen["pages"], seen["layout"] = widget.pageCount(), preview.printer().pageLayout()
        seen["title"] = preview.windowTitle()
        folder = Path(os.environ.get("DAIRY_SHOT_DIR", tmp_path))
        seen["png"] = preview.grab().save(str(folder / "print-preview.png"))
        preview.reject()

    on_dialogs[SheetOptionsDialog] = choose_sheet()
    on_dialogs[QPrintPreviewDialog] = look

    printing.act_print_sheet.trigger()
    qtbot.waitUntil(lambda: "pages" in seen)

    sheet = sheet_from_listing(plant.listing(), plant.actor, sheet_date=SHEET_DATE, days=3)
    assert seen["pages"] == page_count(sheet, seen["layout"])
    assert seen["pages"] >= 2
    assert seen["title"] == "Print preview — Daily expiry sheet Thursday 2025-12-04"
    assert seen["png"]


def test_a_paper_too_narrow_in_the_preview_is_explained(
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    warnings: list[tuple[str, str]],
    qtbot: Any,
) -> None:
    def narrow(preview: QPrintPreviewDialog) -> None:
        preview.printer().setPageSize(QPageSize(QPageSize.PageSizeId.A5))
        preview_widget(preview).updatePreview()
        qtbot.waitUntil(lambda: bool(warnings))
        preview.reject()

    on_dialogs[SheetOptionsDialog] = choose_sheet()
    on_dialogs[QPrintPreviewDialog] = narrow

    printing.act_print_sheet.trigger()
    qtbot.waitUntil(lambda: bool(warnings))

    ((title, text),) = warnings
    assert title == "Cannot print"
    assert "too narrow" in text


def test_export_writes_the_pdf_and_says_where_and_how_many_pages(
    window: MainWindow,
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    save_as: list[str],
    tmp_path: Path,
) -> None:
    on_dialogs[SheetOptionsDialog] = choose_sheet()

    printing.act_export_sheet.trigger()

    path = tmp_path / "expiry-sheet-2025-12-04.pdf"  # ".pdf" added to the typed name
    assert Path(save_as[0]).name == path.name
    pages = len(PdfReader(path).pages)
    assert pages >= 2
    assert window.statusBar().currentMessage() == (
        f"Daily expiry sheet saved: {path} ({pages} pages)."
    )
    first = pdf_page_texts(path)[0]
    assert "Riverside Dairy" in first
    assert CODE in first
    assert ui_settings().value(print_settings.PDF_DIR_KEY) == str(tmp_path)


def test_export_renders_in_the_background_with_the_busy_indicator(
    window: MainWindow,
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    save_as: list[str],
    qtbot: Any,
) -> None:
    background = TaskRunner()
    background.busy_changed.connect(window.busy.setVisible)
    window.runner = background
    on_dialogs[SheetOptionsDialog] = choose_sheet()

    with qtbot.waitSignal(printing.sheets.exported, timeout=30_000) as done:
        printing.act_export_sheet.trigger()
        assert window.busy.isVisible()
        assert "Exporting the daily sheet" in window.statusBar().currentMessage()

    path, pages = done.args
    assert len(PdfReader(path).pages) == pages
    qtbot.waitUntil(lambda: not window.busy.isVisible())
    background.wait_for_done()


def test_a_failed_export_warns_and_leaves_no_file(
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[tuple[str, str]],
    tmp_path: Path,
) -> None:
    missing = tmp_path / "gone" / "sheet.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(missing), ""))
    )
    on_dialogs[SheetOptionsDialog] = choose_sheet()

    printing.act_export_sheet.trigger()

    ((title, text),) = warnings
    assert title == "Not exported"
    assert "Cannot write" in text
    assert list(tmp_path.iterdir()) == []
    assert not printing.sheets.exporting


def test_cancelling_the_sheet_options_asks_for_no_file(
    printing: PrintingActions, on_dialogs: Handlers, save_as: list[str]
) -> None:
    on_dialogs[SheetOptionsDialog] = lambda dialog: dialog.reject()

    printing.act_export_sheet.trigger()

    assert save_as == []


def test_the_sheet_options_default_to_plant_today_and_the_plant_horizon(
    window: MainWindow, printing: PrintingActions, plant: AppSession, on_dialogs: Handlers
) -> None:
    seen: dict[str, Any] = {}

    def look(dialog: SheetOptionsDialog) -> None:
        seen["choice"] = dialog.sheet_date(), dialog.days()
        dialog.reject()

    on_dialogs[SheetOptionsDialog] = look

    printing.act_print_sheet.trigger()

    plant_today = datetime.now(window.settings.zone).date()
    assert seen["choice"] == (plant_today, window.settings.near_expiry_days)


def test_without_a_database_the_sheet_actions_say_why(
    window: MainWindow, printing: PrintingActions, save_as: list[str]
) -> None:
    session, window.controller.session = window.session, None
    try:
        printing.act_export_sheet.trigger()
    finally:
        window.controller.session = session

    assert "Not connected" in window.statusBar().currentMessage()
    assert save_as == []


def choose_pdf_and_print(width: float = 100, height: float = 50) -> Callable[[Any], None]:
    def fill(dialog: LabelPrintDialog) -> None:
        dialog.printer_box.setCurrentIndex(dialog.printer_box.findText(PDF_CHOICE))
        dialog.width_spin.setValue(width)
        dialog.height_spin.setValue(height)
        dialog.print_button.click()

    return fill


def test_print_label_is_enabled_only_with_a_batch_selected(
    window: MainWindow, printing: PrintingActions, plant: AppSession
) -> None:
    window.table.clearSelection()
    window.table.setCurrentIndex(window.model.index(-1, -1))
    assert not printing.act_print_label.isEnabled()

    window.select_code(CODE)

    assert printing.act_print_label.isEnabled()


def test_a_label_printed_from_the_context_menu_scans_back_to_its_batch(
    window: MainWindow,
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    save_as: list[str],
    tmp_path: Path,
) -> None:
    on_dialogs[LabelPrintDialog] = choose_pdf_and_print(101.6, 50.8)
    window.select_code(CODE)

    printing.act_print_label.trigger()

    path = tmp_path / f"label-{CODE}.pdf"
    assert window.statusBar().currentMessage() == f"Label for batch {CODE} saved to {path}."
    assert print_settings.label_size_mm() == (101.6, 50.8)
    (page,) = rasterise(path, tmp_path, 300)
    gs1 = next(b for b in decode_barcodes(page) if b.symbology_identifier == "]C1")
    scan = parse_scan(
        "]C1" + gs1.bytes.decode("ascii"),
        code_pattern=window.settings.code_pattern,
        now=datetime.now(window.settings.zone),
    )
    assert isinstance(scan, GS1Scan)
    assert scan.batch_code == CODE
    assert scan.expiry_date == date(2025, 12, 4)


def test_a_label_size_too_small_is_refused_in_the_dialog(
    window: MainWindow,
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    save_as: list[str],
    tmp_path: Path,
) -> None:
    seen: dict[str, Any] = {}

    def too_short(dialog: LabelPrintDialog) -> None:
        choose_pdf_and_print(100, 30)(dialog)
        seen["open"], seen["message"] = dialog.isVisible(), dialog.message.text()
        dialog.reject()

    on_dialogs[LabelPrintDialog] = too_short
    window.select_code(CODE)

    printing.act_print_label.trigger()

    assert seen["open"]
    assert "too short" in seen["message"]
    assert list(tmp_path.iterdir()) == []


def test_the_dialog_offers_the_remembered_label_size_and_printer(
    window: MainWindow,
    printing: PrintingActions,
    plant: AppSession,
    on_dialogs: Handlers,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    jobs: list[Path] = []

    def fake_printer(name: str, layout: QPageLayout, doc_name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        jobs.append(tmp_path / f"{name}.pdf")
        printer.setOutputFileName(str(jobs[-1]))
        printer.setPageLayout(layout)
        return printer

    monkeypatch.setattr(print_target, "available_printers", lambda: ["Office Laser", "Zebra"])
    monkeypatch.setattr(print_target, "named_printer", fake_printer)
    print_settings.set_label_size_mm(102, 76)
    print_settings.set_label_printer("Zebra")
    seen: dict[str, Any] = {}

    def look_and_print(dialog: LabelPrintDialog) -> None:
        seen["printer"], seen["size"] = dialog.printer_box.currentText(), dialog.size_mm()
        dialog.print_button.click()

    on_dialogs[LabelPrintDialog] = look_and_print
    window.select_code(CODE)

    printing.act_print_label.trigger()

    assert seen == {"printer": "Zebra", "size": (102.0, 76.0)}
    assert jobs == [tmp_path / "Zebra.pdf"]
    assert CODE in pdf_page_texts(jobs[0])[0]
    assert window.statusBar().currentMessage() == f"Label for batch {CODE} sent to printer Zebra."


def _fill_register(dialog: RegisterDialog, code: str, *, tick: bool) -> None:
    dialog.code.setText(code)
    dialog.liters.setText("3000")
    dialog.print_label.setChecked(tick)
    dialog.ok_button.click()


def test_registering_with_print_label_ticked_prints_its_label_and_remembers_the_box(
    window: MainWindow,
    printing: PrintingActions,
    on_dialogs: Handlers,
    save_as: list[str],
    qtbot: Any,
    tmp_path: Path,
) -> None:
    seen: dict[str, Any] = {}

    def register(dialog: RegisterDialog) -> None:
        seen["ticked_at_start"] = dialog.print_label.isChecked()
        _fill_register(dialog, "NEW-20251204-0007", tick=True)

    def label(dialog: LabelPrintDialog) -> None:
        seen["label_title"] = dialog.windowTitle()
        choose_pdf_and_print()(dialog)

    on_dialogs[RegisterDialog] = register
    on_dialogs[LabelPrintDialog] = label

    window.act_register.trigger()
    qtbot.waitUntil(lambda: "label_title" in seen)

    assert seen["ticked_at_start"] is False
    assert seen["label_title"] == "Print label — NEW-20251204-0007"
    assert (tmp_path / "label-NEW-20251204-0007.pdf").exists()
    assert print_settings.print_after_register()

    def look(dialog: RegisterDialog) -> None:
        seen["ticked_next_time"] = dialog.print_label.isChecked()
        dialog.reject()

    on_dialogs[RegisterDialog] = look
    window.act_register.trigger()
    assert seen["ticked_next_time"] is True


def test_registering_without_print_label_prints_nothing(
    window: MainWindow, printing: PrintingActions, on_dialogs: Handlers, qtbot: Any
) -> None:
    labels: list[object] = []
    print_settings.set_print_after_register(True)
    on_dialogs[RegisterDialog] = lambda dialog: _fill_register(
        dialog, "NEW-20251204-0008", tick=False
    )

    def refuse(dialog: LabelPrintDialog) -> None:
        labels.append(dialog)
        dialog.reject()

    on_dialogs[LabelPrintDialog] = refuse

    window.act_register.trigger()
    qtbot.wait(50)

    assert window.selected_code() == "NEW-20251204-0008"
    assert labels == []
    assert not print_settings.print_after_register()
