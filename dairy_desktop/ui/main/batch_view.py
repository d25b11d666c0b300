"""The batch table (or, on an empty database, how to start) with the selected batch's details
beside it; which batch is selected, and keeping that selection through updates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.main.batch_table_model import (
    COL_CODE,
    COL_EXPIRES,
    COL_FAT,
    COL_INITIAL,
    COL_RECEIVED,
    COL_REMAINING,
    COL_RESERVED,
    COL_STATUS,
    COL_SUPPLIER,
    COL_TEMPERATURE,
    COL_TIME_LEFT,
    COL_VERSION,
    BatchTableModel,
)
from dairy_desktop.ui.main.details_pane import DetailsPane
from dairy_desktop.ui.main.empty_state import EmptyState
from dairy_desktop.ui.preferences.window_state import load_bytes, save_bytes

# The widest text each column usually holds: widths follow the font, so every column fits
# at the default window size whatever the PC's font (a fixed pixel list pushed Version out).
COLUMN_SAMPLES = {
    COL_CODE: "SCH-20251204-0000",
    COL_RECEIVED: "2025-12-04 05:30",
    COL_EXPIRES: "2025-12-04 05:30",
    COL_TIME_LEFT: "expired 1 d 23 h ago",
    COL_REMAINING: "99,999.000",
    COL_INITIAL: "99,999.000",
    COL_FAT: "10.00",
    COL_STATUS: "Expires today",
    COL_VERSION: "9999",
    COL_TEMPERATURE: "-0.5",
    COL_SUPPLIER: "Hofmann",
    COL_RESERVED: "9,999.000",
}
DETAILS_WIDTH = 290  # px: the details pane's share at first start (the table takes the rest)


class BatchView(QWidget):
    def __init__(self, model: BatchTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.table = _batch_table(model)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.details = DetailsPane()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([table_width(self.table), DETAILS_WIDTH])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        model.dataChanged.connect(lambda *_: self.refresh_details())

    # selection
    def selected_batch(self) -> Batch | None:
        index = self.table.currentIndex()
        return self._model.batch_at(index.row()) if index.isValid() else None

    def selected_code(self) -> str | None:
        batch = self.selected_batch()
        return batch.code if batch else None

    def select_code(self, code: str, *, scroll: bool = True) -> bool:
        row = self._model.row_of(code)
        if row is None:
            return False
        index = self._model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    @contextmanager
    def keeping_place(self) -> Iterator[None]:
        """Around a model update: the same batch stays selected and the scroll stays put."""
        selected, scroll = self.selected_code(), self.table.verticalScrollBar().value()
        yield
        if selected:
            self.select_code(selected, scroll=False)
        self.table.verticalScrollBar().setValue(scroll)

    # what is shown
    def show_empty(self, empty: bool) -> None:
        self.stack.setCurrentWidget(self.empty if empty else self.table)

    def refresh_details(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        self.details.show_batch(self._model.batch_at(row), self._model.status_at(row))

    # remembered per PC user
    def restore_state(self) -> None:
        header = self.table.horizontalHeader()
        saved = load_bytes("main/header")
        if saved is not None and header.restoreState(saved):
            self._model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        splitter = load_bytes("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        save_bytes("main/header", self.table.horizontalHeader().saveState())
        save_bytes("main/splitter", self.splitter.saveState())


def _batch_table(model: BatchTableModel) -> QTableView:
    table = QTableView()
    table.setObjectName("batchTable")
    table.setModel(model)
    table.setSortingEnabled(True)
    table.sortByColumn(COL_EXPIRES, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(False)  # row colour carries the status
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in fitted_widths(table).items():
        table.setColumnWidth(column, width)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return table


def fitted_widths(table: QTableView) -> dict[int, int]:
    """Each column as wide as its header (sort arrow included) or its usual widest text."""
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    style = table.style()
    # The delegate's text margin on both sides, plus the grid line.
    margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 2
    icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table) + margin
    widths: dict[int, int] = {}
    for column, sample in COLUMN_SAMPLES.items():
        with_icon = column in (COL_STATUS, COL_TEMPERATURE)
        text = metrics.horizontalAdvance(sample) + margin + (icon if with_icon else 0)
        widths[column] = max(text, header.sectionSizeFromContents(column).width())
    return widths


def table_width(table: QTableView) -> int:
    """What the table needs to show every column: the columns, its frame and a scroll bar."""
    scroll_bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, table)
    return sum(fitted_widths(table).values()) + 2 * table.frameWidth() + scroll_bar
