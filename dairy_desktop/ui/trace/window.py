"""The Trace view: type or scan a batch code or an order id and see where the milk went.

A batch shows every order that used it (with any reversal), its disposals, its lab results
and its intake; an order shows every batch that went into it, with the same facts. A batch's
recall list is one button away. Non-modal, like the audit trail window: the operator keeps
working in the main window beside it. Reads run on the task runner with plain values only.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import shiboken6
from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.barcodes.scan_results import BatchScan, GS1Scan, OrderScan, ScanResult
from dairy_desktop.domain.code_patterns import ORDER_ID_PATTERN
from dairy_desktop.services.recall_export import RecallExport, export_recall_csv
from dairy_desktop.services.session import AppSession
from dairy_desktop.services.trace import trace_batch, trace_order
from dairy_desktop.services.trace_facts import BatchTrace, OrderTrace
from dairy_desktop.ui.audit.table_model import load_error_message
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.trace import fact_rows
from dairy_desktop.ui.trace.fact_table_model import FactTableModel
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

_PROBLEM_STYLE = "QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 3px; }"
MESSAGE_MS = 15_000


def is_order_id(text: str) -> bool:
    """Whether the search text names an order (else it is taken as a batch code)."""
    return re.fullmatch(ORDER_ID_PATTERN, text.strip().upper(), re.ASCII) is not None


class TraceWindow(QMainWindow):
    """`TraceWindow(session, runner, parent=None, *, query=None)`: traces `query` (a batch
    code or an order id) at once when given.

    For the owner and tests: `search_edit`, `trace_button`, `export_button`, the models
    `batches`, `uses`, `disposals`, `qa_results`, `summary` (a label), `message` (the
    current problem, empty when none), `shown` (the trace on screen, None before one).
    Signals `traced(object)` after each trace arrives, `export_finished(int rows, str path)`.
    """

    traced = Signal(object)
    export_finished = Signal(int, str)

    def __init__(
        self,
        session: AppSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        query: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("traceWindow")
        self.setWindowTitle("Trace")
        self._session, self._runner = session, runner
        self._generation = 0
        self._exporting = False
        self.shown: BatchTrace | OrderTrace | None = None
        self._build()
        self._build_actions()
        self.resize(1100, 700)
        if query:
            self.trace(query)
        self.focus_search()  # typing or pasting the next code replaces the one shown

    # layout
    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("traceSearch")
        self.search_edit.setPlaceholderText(
            "scan or type a batch code or an order id, e.g. ORDER-20251204-0001, then Enter"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.returnPressed.connect(lambda: self.trace())
        label = QLabel("&Batch or order:")
        label.setBuddy(self.search_edit)
        self.trace_button = QPushButton("&Trace")
        self.trace_button.clicked.connect(lambda: self.trace())
        self.export_button = QPushButton("Export &recall CSV…")
        self.export_button.setToolTip(
            "Save this batch's recall list: one row per use, for the authorities (Ctrl+S)"
        )
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_recall())
        search = QHBoxLayout()
        search.addWidget(label)
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.trace_button)
        search.addWidget(self.export_button)

        self.message_label = QLabel()
        self.message_label.setObjectName("traceProblem")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(_PROBLEM_STYLE)
        self.message_label.hide()
        self.summary = QLabel("Type or scan a batch code or an order id.")
        self.summary.setObjectName("traceSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)

        self.batches = FactTableModel(fact_rows.BATCH_HEADERS, self)
        self.uses = FactTableModel(fact_rows.USE_HEADERS, self)
        self.disposals = FactTableModel(fact_rows.DISPOSAL_HEADERS, self)
        self.qa_results = FactTableModel(fact_rows.QA_HEADERS, self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self._groups: dict[str, QGroupBox] = {}
        self.tables: dict[str, QTableView] = {}
        # The batches by code; the facts in the order they happened, as the audit trail.
        for name, title, model, sort_column in (
            ("batches", "Batches", self.batches, 0),
            ("uses", "Used for orders", self.uses, 1),
            ("disposals", "Disposals", self.disposals, 1),
            ("qa_results", "QA results", self.qa_results, 1),
        ):
            group = QGroupBox(title)
            group.setObjectName(f"{name}Group")
            table = _table(model, sort_column)
            table.setObjectName(f"{name}Table")
            QVBoxLayout(group).addWidget(table)
            splitter.addWidget(group)
            self._groups[name], self.tables[name] = group, table
        splitter.setSizes([120, 260, 140, 140])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(search)
        layout.addWidget(self.message_label)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().setToolTip("Times are the plant's local time")

    def _build_actions(self) -> None:
        def action(text: str, keys: list[str], slot: object) -> QAction:
            made = QAction(text, self)
            made.setShortcuts([QKeySequence(key) for key in keys])
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        action("Find", ["Ctrl+F"], self.focus_search)
        self.export_action = action("Export recall CSV…", ["Ctrl+S"], lambda: self.export_recall())
        self.export_action.setEnabled(False)
        action("Refresh", ["F5"], lambda: self.trace(self._shown_query() or None))
        # Escape closes it, as it would a dialog: a look-up window, nothing to lose.
        action("Close", ["Ctrl+W", "Escape"], self.close)

    # searching
    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def take_scan(self, result: ScanResult) -> str:
        """A scan while this window is in front: its code or order goes into the search box
        and is traced (the main window's scan router hands it here)."""
        match result:
            case BatchScan(code=code) | GS1Scan(batch_code=code) if code:
                self.trace(code)
                return f"batch {code}: traced"
            case OrderScan(order_id=order_id):
                self.trace(order_id)
                return f"order {order_id}: traced"
        self._show_problem(
            "That scan is neither a batch code nor an order id; scan the batch label or the "
            "order's barcode, or type one."
        )
        return "refused: not a batch or an order (trace window)"

    def trace(self, query: str | None = None) -> None:
        """Trace `query` (or what the search box holds): an order id, else a batch code."""
        if query is not None:
            self.search_edit.setText(query.strip())
        typed = self.search_edit.text().strip()
        if not typed:
            self._show_problem(
                "Type or scan a batch code (e.g. SCH-20251204-0001) or an order id "
                "(e.g. ORDER-20251204-0001) first."
            )
            return
        self._show_problem("")
        self._generation += 1
        generation = self._generation
        database = self._session.database  # plain values only for the worker
        order = is_order_id(typed)

        def work() -> BatchTrace | OrderTrace:
            return trace_order(database, typed) if order else trace_batch(database, typed)

        self.statusBar().showMessage(f"Tracing {typed}…")
        self._runner.run(
            work,
            lambda found: self._loaded(generation, found),
            lambda error: self._failed(generation, error),
        )

    def _loaded(self, generation: int, found: BatchTrace | OrderTrace) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # closed, or another search was started since
        self.statusBar().clearMessage()
        self.shown = found
        self._show_rows(found.batches if isinstance(found, OrderTrace) else (found,))
        self.summary.setText(_summary(found))
        is_batch = isinstance(found, BatchTrace)
        self.export_button.setEnabled(is_batch and not self._exporting)
        self.export_action.setEnabled(is_batch and not self._exporting)
        self.setWindowTitle(f"Trace — {_query_of(found)}")
        self.traced.emit(found)

    def _failed(self, generation: int, error: BaseException) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self.statusBar().clearMessage()
        self.shown = None
        self._show_rows(())  # the previous trace's rows would read as this one's
        self.summary.setText("")
        self.export_button.setEnabled(False)
        self.export_action.setEnabled(False)
        self._show_problem(load_error_message(error))

    def _show_rows(self, traces: tuple[BatchTrace, ...]) -> None:
        self.batches.set_rows(fact_rows.batch_rows(traces))
        self.uses.set_rows(fact_rows.use_rows(traces))
        self.disposals.set_rows(fact_rows.disposal_rows(traces))
        self.qa_results.set_rows(fact_rows.qa_rows(traces))
        for name, model in (
            ("batches", self.batches),
            ("uses", self.uses),
            ("disposals", self.disposals),
            ("qa_results", self.qa_results),
        ):
            title = self._groups[name].title().split(" (")[0]
            self._groups[name].setTitle(f"{title} ({model.rowCount()})")
            if model.rowCount():
                self.tables[name].resizeColumnsToContents()

    def _shown_query(self) -> str:
        return "" if self.shown is None else _query_of(self.shown)

    # the recall list
    def export_recall(self, path: str | None = None) -> None:
        """Save the shown batch's recall list; asks for a file when `path` is None."""
        shown = self.shown
        if not isinstance(shown, BatchTrace) or self._exporting:
            return
        path = path or self._ask_path(shown.code)
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        database, code = self._session.database, shown.code
        self._set_exporting(True)
        self._runner.run(
            lambda: export_recall_csv(database, code, path),
            self._exported,
            self._export_failed,
        )

    def _ask_path(self, code: str) -> str:
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
        suggested = str(folder / f"recall-{code}.csv")
        chosen, _ = QFileDialog.getSaveFileName(
            self, f"Export recall list of {code}", suggested, "CSV files (*.csv)"
        )
        return chosen

    def _set_exporting(self, busy: bool) -> None:
        self._exporting = busy
        can = not busy and isinstance(self.shown, BatchTrace)
        self.export_button.setEnabled(can)
        self.export_action.setEnabled(can)
        if busy:
            self.statusBar().showMessage("Writing the recall list…")

    def _exported(self, done: RecallExport) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_exporting(False)
        uses = f"{done.rows} use{'s' if done.rows != 1 else ''}"
        self.statusBar().showMessage(
            f"Recall list of {done.trace.code} saved: {uses} in {done.path}", MESSAGE_MS
        )
        self.export_finished.emit(done.rows, str(done.path))

    def _export_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_exporting(False)
        self.statusBar().clearMessage()
        self._show_problem(f"The recall list was not saved: {load_error_message(error)}")

    # status
    @property
    def message(self) -> str:
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def _show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))


def _table(model: FactTableModel, sort_column: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setSortingEnabled(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSortIndicator(sort_column, Qt.SortOrder.AscendingOrder)
    header.setSortIndicatorShown(True)
    return table


def _query_of(found: BatchTrace | OrderTrace) -> str:
    return found.order_id if isinstance(found, OrderTrace) else found.code


def _liters(value: Decimal) -> str:
    return format_decimal(value, 3)


def _summary(found: BatchTrace | OrderTrace) -> str:
    if isinstance(found, OrderTrace):
        codes = ", ".join(batch.code for batch in found.batches)
        count = len(found.batches)
        return (
            f"Order {found.order_id}: {_liters(found.used_liters)} L from {count} "
            f"batch{'es' if count != 1 else ''} ({codes})."
        )
    orders = found.orders
    named = f": {', '.join(orders)}" if orders else ""
    reversed_uses = len(found.uses) - len(found.standing_uses)
    undone = f"; {reversed_uses} use(s) reversed" if reversed_uses else ""
    return (
        f"Batch {found.code} ({found.status.label}): {_liters(found.used_liters)} of "
        f"{_liters(found.initial_liters)} L used by {len(orders)} "
        f"order{'s' if len(orders) != 1 else ''}{named}{undone}; "
        f"{_liters(found.remaining_liters)} L left."
    )
