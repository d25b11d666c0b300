"""The audit trail window: every change to every batch, newest first, filterable and exportable.

Filters go to the database (the trail may hold a million events); the table pages in as it
scrolls. Dates are picked on the plant's local calendar and turned into UTC bounds here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.audit_export import ExportCancelled, export_audit_csv
from dairy_desktop.services.audit_trail import AuditFilter
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.audit import table_model as columns
from dairy_desktop.ui.audit.table_model import AuditTableModel, action_word, load_error_message
from dairy_desktop.ui.tasks import TaskRunner

TEXT_FILTER_DELAY_MS = 400  # typing a code or name re-queries once the operator pauses
DEFAULT_DAYS_BACK = 7
_ALL_ACTIONS = "All actions"


def local_day_bounds(
    first: date | None, last: date | None, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """UTC [since, until) covering whole local days `first`..`last` (inclusive).

    Midnights are taken on the local calendar, so a day with a DST change is 23 or 25 hours.
    """

    def midnight(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

    since = midnight(first) if first else None
    until = midnight(last + timedelta(days=1)) if last else None
    return since, until


def _picked(check: QCheckBox, edit: QDateEdit) -> date | None:
    if not check.isChecked():
        return None
    picked = edit.date()
    return date(picked.year(), picked.month(), picked.day())


class AuditWindow(QMainWindow):
    """`AuditWindow(session, runner, parent=None, *, batch_code=None)`.

    Attributes for the owner and tests: `model`, `table`, the filter widgets (`batch_edit`,
    `operator_edit`, `action_combo`, `from_check`/`from_date`, `to_check`/`to_date`),
    `message` (the current problem, empty when none) and `export_csv(path=None)`.
    Signal `export_finished(int rows, str path)`.
    """

    export_finished = Signal(int, str)

    def __init__(
        self,
        session: AppSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        batch_code: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit trail")
        self._session, self._runner = session, runner
        self._zone: tzinfo = PlantSettings().zone
        self._cancel_export: threading.Event | None = None
        self.model = AuditTableModel(session, runner, parent=self)
        self._build(batch_code or "")
        self._build_actions()
        self._connect()
        self.resize(1100, 640)
        self._load_zone_then_trail()

    # layout
    def _build(self, batch_code: str) -> None:
        self.batch_edit = QLineEdit(batch_code)
        self.batch_edit.setPlaceholderText("exact code, e.g. SCH-20251204-0001")
        self.batch_edit.setClearButtonEnabled(True)
        # Wide enough for a whole code plus the clear button: a cut-off code reads as another.
        code_width = self.batch_edit.fontMetrics().horizontalAdvance("SCH-20251204-0000")
        self.batch_edit.setMinimumWidth(code_width + 40)
        self.operator_edit = QLineEdit()
        self.operator_edit.setPlaceholderText("operator name")
        self.operator_edit.setClearButtonEnabled(True)
        self.action_combo = QComboBox()
        self.action_combo.addItem(_ALL_ACTIONS, None)
        for action in AuditAction:
            # The plain value: Qt would turn the StrEnum into a bare string anyway.
            self.action_combo.addItem(action_word(action), action.value)
        self.from_check, self.from_date = QCheckBox("&From"), self._date_edit()
        self.to_check, self.to_date = QCheckBox("&To"), self._date_edit()
        self.refresh_button = QPushButton("Refresh")
        self.export_button = QPushButton("Export CSV…")

        filters = QHBoxLayout()
        for text, widget in (("&Batch:", self.batch_edit), ("&Operator:", self.operator_edit)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1)
        action_label = QLabel("&Action:")
        action_label.setBuddy(self.action_combo)
        filters.addWidget(action_label)
        filters.addWidget(self.action_combo)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            filters.addWidget(check)
            filters.addWidget(edit)
        filters.addSpacing(12)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.export_button)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 3px; }"
        )
        self.message_label.hide()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in fitted_widths(self.table).items():
            self.table.setColumnWidth(column, width)
        self._names_fitted = False  # operator and PC columns: fitted to the first page's names

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(filters)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.export_progress = QProgressBar()
        self.export_progress.setRange(0, 0)  # unknown total: a busy bar plus the rows written
        self.export_progress.setMaximumWidth(160)
        self.export_progress.hide()
        self.cancel_export_button = QPushButton("Cancel export")
        self.cancel_export_button.hide()
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.export_progress)
        self.statusBar().addPermanentWidget(self.cancel_export_button)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        return edit

    def _build_actions(self) -> None:
        def action(text: str, keys: QKeySequence | str, slot: Any) -> QAction:
            made = QAction(text, self)
            made.setShortcut(QKeySequence(keys))
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.refresh_action = action("Refresh", "F5", self.refresh)
        self.export_action = action("Export CSV…", "Ctrl+S", lambda: self.export_csv())
        action("Find batch", "Ctrl+F", self._focus_batch)
        self.close_action = action("Close", "Ctrl+W", self.close)
        # Escape closes it too, as it would a dialog: it is a look-up window, nothing to lose.
        self.close_action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Escape")])
        self.refresh_button.setToolTip("Reload the trail from the database (F5)")
        self.export_button.setToolTip("Save the filtered trail as a CSV file (Ctrl+S)")

    def _connect(self) -> None:
        self._text_timer = QTimer(self, singleShot=True, interval=TEXT_FILTER_DELAY_MS)
        self._text_timer.timeout.connect(self.apply_filter)
        self.batch_edit.textChanged.connect(self._text_timer.start)
        self.operator_edit.textChanged.connect(self._text_timer.start)
        self.batch_edit.returnPressed.connect(self.apply_filter)
        self.operator_edit.returnPressed.connect(self.apply_filter)
        self.action_combo.currentIndexChanged.connect(self.apply_filter)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.apply_filter)
            edit.dateChanged.connect(self.apply_filter)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.cancel_export_button.clicked.connect(self._cancel)
        self.model.loading_changed.connect(self._show_count)
        self.model.page_loaded.connect(self._show_count)
        self.model.page_loaded.connect(self._fit_names)
        self.model.load_failed.connect(self._show_problem)

    # loading
    def _load_zone_then_trail(self) -> None:
        self.count_label.setText("Loading…")
        self._runner.run(self._session.plant_settings, self._zone_loaded, self._zone_failed)

    def _zone_loaded(self, settings: PlantSettings) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_zone(settings.zone)
        self.apply_filter()

    def _zone_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._show_problem(load_error_message(error))

    def _set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self.model.set_zone(zone)
        today = utc_now().astimezone(zone).date()
        for edit, day in (
            (self.from_date, today - timedelta(days=DEFAULT_DAYS_BACK)),
            (self.to_date, today),
        ):
            edit.blockSignals(True)  # setting the defaults is not a filter change
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        self.statusBar().setToolTip(f"Times are the plant's local time ({zone})")

    def current_filter(self) -> AuditFilter | None:
        """The filter the widgets describe, or None (with the reason shown) when it cannot be."""
        first = _picked(self.from_check, self.from_date)
        last = _picked(self.to_check, self.to_date)
        if first and last and first > last:
            self.model.clear()  # rows of the previous filter would read as this one's
            self._show_problem(
                f"The From date {first} is after the To date {last}; pick a From date on or "
                "before the To date."
            )
            return None
        since, until = local_day_bounds(first, last, self._zone)
        return AuditFilter(
            batch_code=self.batch_edit.text().strip() or None,
            operator=self.operator_edit.text().strip() or None,
            action=AuditAction(action) if (action := self.action_combo.currentData()) else None,
            since=since,
            until=until,
        )

    def apply_filter(self) -> None:
        self._text_timer.stop()
        audit_filter = self.current_filter()
        if audit_filter is None:
            return
        self._show_problem("")
        self.model.set_filter(audit_filter)

    def refresh(self) -> None:
        self.apply_filter()

    # status
    @property
    def message(self) -> str:
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def _show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _show_count(self, *_: object) -> None:
        rows = self.model.rowCount()
        if self.model.loading:
            text = f"{rows:,} events shown, loading more…" if rows else "Loading…"
        elif not self.model.started:
            text = ""
        elif self.model.exhausted:
            text = f"{rows:,} events" if rows else "No events match these filters."
        else:
            text = f"{rows:,} events shown; scroll down for older ones"
        self.count_label.setText(text)

    def _fit_names(self, rows: int) -> None:
        """Once, when the first events arrive: wide enough for the names they hold (not
        narrower than the header, not so wide that Reason leaves the window)."""
        if self._names_fitted or rows == 0:
            return
        self._names_fitted = True
        header = self.table.horizontalHeader()
        for column in (columns.COL_OPERATOR, columns.COL_WORKSTATION):
            wanted = max(
                self.table.sizeHintForColumn(column), header.sectionSizeFromContents(column).width()
            )
            self.table.setColumnWidth(column, min(wanted, MAX_NAME_WIDTH))

    def _focus_batch(self) -> None:
        self.batch_edit.setFocus()
        self.batch_edit.selectAll()

    # export
    def export_csv(self, path: str | None = None) -> None:
        """Export the filtered trail; asks for a file when `path` is None."""
        if self._cancel_export is not None:
            return  # one export at a time; the button is disabled meanwhile
        audit_filter = self.current_filter()
        if audit_filter is None:
            return
        path = path or self._ask_export_path()
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        cancel = self._cancel_export = threading.Event()
        self._exporting(True)
        session = self._session  # plain values only for the worker, never this window

        def work(report: Callable[[int], None]) -> int:
            def progress(rows: int) -> bool:
                report(rows)  # queued to the GUI thread as a plain number
                return not cancel.is_set()

            return export_audit_csv(session, audit_filter, path, progress)

        self._runner.run_reporting(
            work,
            self._export_advanced,
            lambda rows: self._export_done(rows, path),
            self._export_failed,
        )

    def _ask_export_path(self) -> str:
        stamp = utc_now().astimezone(self._zone).strftime("%Y%m%d-%H%M")
        suggested = str(Path.home() / f"audit-trail-{stamp}.csv")
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export audit trail", suggested, "CSV files (*.csv)"
        )
        return chosen

    def _exporting(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.export_action.setEnabled(not busy)
        self.export_progress.setVisible(busy)
        self.cancel_export_button.setVisible(busy)
        if busy:
            self.statusBar().showMessage("Exporting…")

    def _export_advanced(self, rows: int) -> None:
        if shiboken6.isValid(self):
            self.statusBar().showMessage(f"Exporting… {rows:,} rows written")

    def _export_done(self, rows: int, path: str) -> None:
        self._cancel_export = None
        if not shiboken6.isValid(self):
            return
        self._exporting(False)
        self.statusBar().showMessage(f"Exported {rows:,} events to {path}", 15_000)
        self.export_finished.emit(rows, path)

    def _export_failed(self, error: BaseException) -> None:
        self._cancel_export = None
        if not shiboken6.isValid(self):
            return
        self._exporting(False)
        if isinstance(error, ExportCancelled):
            self.statusBar().showMessage(str(error), 15_000)
            return
        self.statusBar().clearMessage()
        self._show_problem(f"Export failed: {load_error_message(error)}")

    def _cancel(self) -> None:
        if self._cancel_export is not None:
            self._cancel_export.set()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._cancel()  # a closed window should not keep writing a file in the background
        super().closeEvent(event)


# The widest texts each column usually holds; widths follow the PC's font.
_COLUMN_SAMPLES: dict[int, tuple[str, ...]] = {
    columns.COL_TIME: ("2025-12-04 05:30:00",),
    columns.COL_BATCH: ("SCH-20251204-0000",),
    columns.COL_ACTION: tuple(action.value.capitalize() for action in AuditAction),
    columns.COL_LITRES: ("99,999.000",),
    columns.COL_REMAINING: ("99,999.000",),
    columns.COL_VERSION: ("9999",),
    columns.COL_ORDER: ("ORDER-20251204-0000",),
    columns.COL_OPERATOR: ("operator",),
    columns.COL_WORKSTATION: ("OFFICE-PC-00",),
}
MAX_NAME_WIDTH = 220  # px: a long login or PC name is elided rather than pushing Reason out


def fitted_widths(table: QTableView) -> dict[int, int]:
    """Each column as wide as its header or its usual widest text, whichever is wider."""
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1) + 2
    return {
        column: max(
            max(metrics.horizontalAdvance(sample) for sample in samples) + margin,
            header.sectionSizeFromContents(column).width(),
        )
        for column, samples in _COLUMN_SAMPLES.items()
    }
