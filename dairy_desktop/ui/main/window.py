"""The window the plant office lives in all day."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.errors import DairyError, DatabaseUnavailable, VersionConflict
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.actor import Actor
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.main.banner import Banner
from dairy_desktop.ui.main.batch_rows import RowFilter, StatusFilter, classify
from dairy_desktop.ui.main.batch_table_model import COL_EXPIRES, BatchTableModel
from dairy_desktop.ui.main.details_pane import DetailsPane
from dairy_desktop.ui.main.empty_state import EmptyState
from dairy_desktop.ui.main.filter_bar import FilterBar
from dairy_desktop.ui.main.legend import Legend
from dairy_desktop.ui.main.live_bridge import LiveBridge
from dairy_desktop.ui.main.printing_actions import install_printing_actions
from dairy_desktop.ui.main.scan_router import ScanRouter
from dairy_desktop.ui.main.status_summary import summarise
from dairy_desktop.ui.preferences.scanner_settings import load_wedge_settings
from dairy_desktop.ui.preferences.window_state import load_bytes, save_bytes
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.status_style import StatusStyle
from dairy_desktop.ui.widgets.time_format import local_time_text, set_display_zone

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 3_000
RETRY_INTERVAL_MS = 5_000
CLOCK_INTERVAL_MS = 60_000
ORDER_SEARCH_DELAY_MS = 300
PUSH_DEBOUNCE_MS = 50
FIRST_SCREEN_ROWS = 200
APP_TITLE = "Dairy Desktop"


def _open_app_session(url: str, actor: Actor) -> AppSession:
    # Imported here, on the worker thread: SQLAlchemy's import must not delay the window.
    from dairy_desktop.services.session import AppSession

    return AppSession.open(url, actor)


class MainWindow(QMainWindow):
    """Opens on its own; connects to the database behind the window (never blocks it)."""

    connected = Signal()
    loaded = Signal()
    dialog_opened = Signal(object)

    def __init__(
        self,
        database_url: str,
        actor: Actor,
        runner: TaskRunner,
        *,
        open_session: Callable[[str, Actor], AppSession] | None = None,
    ) -> None:
        super().__init__()
        self._url, self._actor, self._runner = database_url, actor, runner
        self._open_session = open_session or _open_app_session
        self.session: AppSession | None = None
        self.settings = PlantSettings()
        self._token = -1
        self._settings_token = ""
        self._loaded_at: datetime | None = None
        self._polling = False
        self._connecting = False
        self._live: LiveBridge | None = None
        self._was_live = False
        self._totals: tuple[int, str] = (-1, "")
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 760)

        self.model = BatchTableModel(self.settings.zone, self)
        self.scans = ScanRouter(self)
        self._build_widgets()
        self._build_actions()
        self._wire()
        self._restore_state()
        self._update_actions()
        install_printing_actions(self)  # File → print/export sheet, labels (needs the menus)

        self._poll_timer = QTimer(self, interval=POLL_INTERVAL_MS, timeout=self.poll)
        self._retry_timer = QTimer(self, interval=RETRY_INTERVAL_MS, timeout=self.connect_database)
        self._clock_timer = QTimer(
            self, interval=CLOCK_INTERVAL_MS, timeout=lambda: self.model.tick(utc_now())
        )
        self._order_timer = QTimer(
            self, singleShot=True, interval=ORDER_SEARCH_DELAY_MS, timeout=self._search_orders
        )
        # Bursts of notifications (a scripted run, sample data) become one targeted update.
        self._push_timer = QTimer(
            self, singleShot=True, interval=PUSH_DEBOUNCE_MS, timeout=self.poll
        )

    # construction
    def _build_widgets(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.filters = FilterBar()
        layout.addWidget(self.filters)
        self.legend = Legend(StatusStyle(self.palette()))
        layout.addWidget(self.legend)

        self.table = QTableView()
        self.table.setObjectName("batchTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_EXPIRES, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)  # row colour carries the status
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate([150, 122, 122, 128, 100, 100, 55, 118, 55]):
            self.table.setColumnWidth(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

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
        self.splitter.setSizes([1000, 380])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(100)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.connection = QLabel("Connecting…")
        self.connection.setObjectName("connection")
        self.statusBar().addWidget(self.summary, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.connection)

    def _action(
        self, text: str, shortcut: QKeySequence | str | None, slot: Callable[[], Any], tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(
            f"{tip or text.replace('&', '').rstrip('…')}"
            f"{f' ({action.shortcut().toString()})' if shortcut else ''}"
        )
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.act_register = self._action("&Register delivery…", "Ctrl+N", self.open_register)
        self.act_consume = self._action("&Consume…", "Ctrl+E", self.open_consume)
        self.act_delete = self._action("&Delete…", "Del", self.delete_selected)
        self.act_restore = self._action("Re&store…", "Ctrl+R", self.restore_selected)
        self.act_refresh = self._action("&Refresh", "F5", self.reload)
        self.act_audit = self._action("&Audit trail…", "Ctrl+L", self.open_audit)
        self.act_settings = self._action("&Settings…", "Ctrl+,", self.open_settings)
        self.act_sample = self._action("Load &sample data", None, self.load_sample_data)
        self.act_quit = self._action("&Quit", "Ctrl+Q", self.close)
        self.act_find = self._action("&Find…", "Ctrl+F", self._focus_search)
        self.act_show_deleted = self._action("Show &deleted", "Ctrl+D", lambda: None)
        self.act_show_deleted.setCheckable(True)
        self.act_about = self._action("&About Dairy Desktop", None, self.show_about)
        self.act_scan_log = self._action("Scan &log…", "Ctrl+Shift+L", self.open_scan_log)
        self.act_scan_box = self._action(
            "&Scan box", "Ctrl+K", self._focus_scan_box, "Type or paste a code as if scanned"
        )

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        self.file_menu = file_menu
        file_menu.addActions([self.act_register, self.act_sample])
        file_menu.addSeparator()
        file_menu.addAction(self.act_settings)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        batch_menu = menus.addMenu("&Batch")
        batch_menu.addActions([self.act_consume, self.act_delete, self.act_restore])
        view_menu = menus.addMenu("&View")
        view_menu.addActions(
            [self.act_refresh, self.act_find, self.act_show_deleted, self.act_audit]
        )
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.act_about)

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addActions(
            [self.act_register, self.act_consume, self.act_delete, self.act_restore]
        )
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.act_refresh, self.act_audit])
        self.toolbar.addSeparator()
        self.scan_box = QLineEdit()
        self.scan_box.setObjectName("scanBox")
        self.scan_box.setPlaceholderText("Scan or type a code, Enter  (Ctrl+K)")
        self.scan_box.setMaximumWidth(320)
        self.scan_box.setClearButtonEnabled(True)
        self.scan_box.returnPressed.connect(self._scan_box_entered)
        self.toolbar.addWidget(self.scan_box)
        self.addToolBar(self.toolbar)
        self.table.addActions([self.act_consume, self.act_delete, self.act_restore])

    def _wire(self) -> None:
        self.filters.changed.connect(self._apply_filter)
        self.filters.search.textChanged.connect(lambda _t: self._order_timer.start())
        self.filters.horizon_changed.connect(self._horizon_changed)
        self.filters.show_deleted.toggled.connect(self.act_show_deleted.setChecked)
        self.act_show_deleted.toggled.connect(self.filters.show_deleted.setChecked)
        self.table.doubleClicked.connect(lambda _i: self.open_consume())
        self.table.activated.connect(lambda _i: self.open_consume())  # Enter / Return
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_model_change)
        self.model.rowsInserted.connect(self._after_model_change)
        self.model.rowsRemoved.connect(self._after_model_change)
        self.model.dataChanged.connect(lambda *_: self._refresh_details())
        self.empty.register_button.clicked.connect(self.open_register)
        self.empty.sample_button.clicked.connect(self.load_sample_data)
        self.banner.retry.clicked.connect(self._retry_now)
        self._runner.busy_changed.connect(self.busy.setVisible)

    # connection and loading
    def start(self) -> None:
        """Show first, then connect: the window never waits for the database."""
        from dairy_desktop.ui.scanner.wedge import ScannerWedge

        self.wedge = ScannerWedge(load_wedge_settings(), parent=self)
        self.wedge.scanned.connect(self.scans.handle)
        self.wedge.install()
        self._clock_timer.start()
        self.connect_database()

    def connect_database(self) -> None:
        if self._connecting or self.session is not None:
            return
        self._connecting = True
        self.connection.setText("Connecting…")
        self._runner.run(
            lambda: self._open_session(self._url, self._actor),
            self._connected,
            self._connect_failed,
        )

    def _connected(self, session: AppSession) -> None:
        self._connecting = False
        self.session = session
        self._retry_timer.stop()
        self.banner.hide()
        self._start_live_updates(session)
        self._show_connection()
        self.connected.emit()
        self.reload()  # polling starts once the full listing is in (_listing_loaded)

    def _start_live_updates(self, session: AppSession) -> None:
        self._stop_live_updates()
        self._live = LiveBridge(session.database)
        self._live.changed.connect(lambda _code: self._push_timer.start())
        self._live.live.connect(self._live_changed)

    def _stop_live_updates(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live.deleteLater()
            self._live = None
        self._was_live = False

    def _live_changed(self, live: bool) -> None:
        if live and not self._was_live and self._loaded_at is not None:
            self.reload()  # (re)connected: catch up on anything missed while not live
        self._was_live = live
        self._show_connection()

    def is_live(self) -> bool:
        return self._was_live

    def _show_connection(self) -> None:
        session = self.session
        if session is None:
            self.connection.setText("Not connected")
            return
        kind = "PostgreSQL" if session.database.kind == "postgresql" else "SQLite"
        if self._live is not None and self._live.pushes:
            state = "live" if self._was_live else "NOT live — checking every few seconds"
            self.connection.setText(f"{kind} ({state}): {session.database.location}")
        else:
            self.connection.setText(f"{kind}: {session.database.location}")

    def _connect_failed(self, error: BaseException) -> None:
        self._connecting = False
        self._show_unavailable(error)
        self._retry_timer.start()

    def _show_unavailable(self, error: BaseException) -> None:
        as_of = (
            f" Showing the data as of {local_time_text(self._loaded_at, seconds=True)}."
            if self._loaded_at
            else ""
        )
        reason = str(error) if isinstance(error, DairyError) else f"{type(error).__name__}: {error}"
        self.banner.show_message(
            f"<b>Not connected.</b> {reason}{as_of} Retrying every {RETRY_INTERVAL_MS // 1000} s."
        )
        self.connection.setText("Not connected")
        self._update_actions()

    def _retry_now(self) -> None:
        if self.session is None:
            self.connect_database()
        else:
            self.reload()

    def reload(self) -> None:
        """Full reload (F5, start, after reconnecting): keeps selection and scroll.

        On the first load the earliest-expiring rows come first (a few ms), so the table
        paints at once; the whole listing follows behind it. Classifying runs on the
        worker too, so the GUI thread only swaps the rows in.
        """
        session = self.session
        if session is None:
            self.connect_database()
            return
        near_days = self.filters.horizon.value()
        horizon_set = self._loaded_at is not None

        def load(limit: int | None) -> Callable[[], tuple[Any, ...]]:
            def work() -> tuple[Any, ...]:
                tokens = session.change_token()
                listing = session.listing(limit=limit)
                days = near_days if horizon_set else listing.settings.near_expiry_days
                rows = classify(listing.batches, listing.as_of, listing.settings.zone, days)
                return listing, tokens, rows, days, limit is None

            return work

        if self._loaded_at is None:
            self.statusBar().showMessage("Loading batches…")
            self._runner.run(load(FIRST_SCREEN_ROWS), self._listing_loaded, self._data_failed)
        self._runner.run(load(None), self._listing_loaded, self._data_failed)

    def _listing_loaded(self, result: tuple[Any, ...]) -> None:
        listing, (token, settings_token), rows, days, complete = result
        if not complete and self._token >= 0:
            return  # the full listing already arrived
        selected, scroll = self.selected_code(), self.table.verticalScrollBar().value()
        self._apply_settings(listing.settings)
        self._loaded_at = listing.as_of
        self.model.set_rows(rows, now=listing.as_of, zone=listing.settings.zone, near_days=days)
        if selected:
            self.select_code(selected, scroll=False)
        self.table.verticalScrollBar().setValue(scroll)
        if not complete:
            return
        # The change token was read before the listing: nothing committed in between is lost.
        self._token, self._settings_token = token, settings_token
        self.statusBar().clearMessage()
        self.banner.hide()
        self._poll_timer.start()
        self.loaded.emit()

    def _apply_settings(self, settings: PlantSettings) -> None:
        horizon_was_default = self.filters.horizon.value() == self.settings.near_expiry_days
        self.settings = settings
        set_display_zone(settings.zone)
        self.setWindowTitle(f"{APP_TITLE} — {settings.plant_name}")
        if horizon_was_default or self._loaded_at is None:
            self.filters.horizon.blockSignals(True)
            self.filters.horizon.setValue(settings.near_expiry_days)
            self.filters.horizon.blockSignals(False)

    def poll(self) -> None:
        """Cheap change check; only the batches that changed are fetched and updated."""
        session = self.session
        if session is None or self._polling or self._token < 0:
            return  # not before the first full listing: it would fetch every batch as "changed"
        self._polling = True
        token = self._token

        def check() -> tuple[tuple[int, str], tuple[int, list[Batch]] | None]:
            tokens = session.change_token()
            if tokens[1] != self._settings_token:
                return tokens, None  # plant settings changed: a full reload is due
            return tokens, session.changes_since(token) if tokens[0] != token else (token, [])

        self._runner.run(check, self._polled, self._poll_failed)

    def _polled(self, result: tuple[tuple[int, str], tuple[int, list[Batch]] | None]) -> None:
        self._polling = False
        _tokens, changes = result
        if self.banner.isVisible():
            self.banner.hide()
            self.reload()  # back after an outage: catch up on everything missed
            return
        if changes is None:
            self.reload()
            return
        self._token, batches = changes
        if batches:
            self.apply_changes(batches)
        self._update_actions()

    def _poll_failed(self, error: BaseException) -> None:
        self._polling = False
        self._data_failed(error)

    def _data_failed(self, error: BaseException) -> None:
        if isinstance(error, DatabaseUnavailable):
            self._show_unavailable(error)
            return
        log.error("loading failed", exc_info=error)
        self.statusBar().showMessage(f"Could not load batches: {error}", 10_000)

    def apply_changes(self, batches: list[Batch]) -> None:
        """Targeted update (dataChanged / insert / remove), keeping selection and scroll."""
        selected, scroll = self.selected_code(), self.table.verticalScrollBar().value()
        self.model.upsert(batches)
        if selected:
            self.select_code(selected, scroll=False)
        self.table.verticalScrollBar().setValue(scroll)
        for dialog in self.findChildren(ConsumeDialog):
            for batch in batches:
                if batch.code == dialog.loaded.code:
                    dialog.mark_out_of_date(batch)

    # filters and selection
    def _apply_filter(self) -> None:
        current = self.model.row_filter()
        status = self.filters.status_filter()
        self.model.set_filter(
            RowFilter(
                text=self.filters.search.text(),
                status=status,
                show_deleted=self.filters.show_deleted.isChecked(),
                order_codes=current.order_codes if self.filters.search.text() else frozenset(),
            )
        )
        selected = self.details.code
        if selected:
            self.select_code(selected, scroll=False)

    def _search_orders(self) -> None:
        text, session = self.filters.search.text().strip(), self.session
        if session is None or len(text) < 3:
            return
        self._runner.run(
            lambda: (text, session.codes_for_order(text)), self._orders_found, self._data_failed
        )

    def _orders_found(self, result: tuple[str, set[str]]) -> None:
        text, codes = result
        if text != self.filters.search.text().strip():
            return  # typed on since
        current = self.model.row_filter()
        self.model.set_filter(
            RowFilter(current.text, current.status, current.show_deleted, frozenset(codes))
        )

    def _horizon_changed(self, days: int) -> None:
        self.model.set_batches(
            [r.batch for r in self.model.all_rows()],
            now=utc_now(),
            zone=self.settings.zone,
            near_days=days,
        )

    def selected_code(self) -> str | None:
        index = self.table.currentIndex()
        batch = self.model.batch_at(index.row()) if index.isValid() else None
        return batch.code if batch else None

    def selected_batch(self) -> Batch | None:
        index = self.table.currentIndex()
        return self.model.batch_at(index.row()) if index.isValid() else None

    def select_code(self, code: str, *, scroll: bool = True) -> bool:
        row = self.model.row_of(code)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _selection_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._refresh_details()
        self._update_actions()
        batch = self.model.batch_at(current.row()) if current.isValid() else None
        session = self.session
        if batch and session:
            code = batch.code
            self._runner.run(
                lambda: (code, session.history(code)),
                lambda r: self.details.show_history(*r),
                self._data_failed,
            )

    def _refresh_details(self) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else -1
        self.details.show_batch(self.model.batch_at(row), self.model.status_at(row))

    def _after_model_change(self, *_args: object) -> None:
        empty = self.model.total_count() == 0 and self._loaded_at is not None
        self.stack.setCurrentWidget(self.empty if empty else self.table)
        if self._totals[0] != self.model.data_version:  # totals change with data, not filters
            self._totals = (self.model.data_version, summarise(self.model.all_rows()))
        self.summary.setText(f"{self.model.rowCount()} shown  |  {self._totals[1]}")
        self._refresh_details()
        self._update_actions()

    def _update_actions(self) -> None:
        online = self.session is not None
        status = self.model.status_at(self.table.currentIndex().row())
        usable = status in (BatchStatus.FRESH, BatchStatus.NEAR_EXPIRY, BatchStatus.EXPIRES_TODAY)
        self.act_consume.setEnabled(online and usable)
        self.act_delete.setEnabled(online and status is not None and status != BatchStatus.DELETED)
        self.act_restore.setEnabled(online and status == BatchStatus.DELETED)
        for action in (self.act_register, self.act_sample, self.act_audit):
            action.setEnabled(online)

    def _focus_scan_box(self) -> None:
        self.scan_box.setFocus()
        self.scan_box.selectAll()

    def _scan_box_entered(self) -> None:
        text = self.scan_box.text()
        if text.strip():
            self.scan_box.clear()
            self.scans.handle(text)

    def open_scan_log(self) -> None:
        from dairy_desktop.ui.scanner.scan_log_window import ScanLogWindow

        window = ScanLogWindow(self.scans.log_model, self)
        self.dialog_opened.emit(window)
        window.show()

    def reveal(self, code: str) -> None:
        """Select and scroll to a batch, loosening the filter if it hides it."""
        row = self.model.find(code)
        if row is None:
            return
        if self.model.row_of(code) is None:
            self.filters.search.clear()
            self.filters.set_status_filter(StatusFilter.ALL)
            if row.status == BatchStatus.DELETED:
                self.filters.show_deleted.setChecked(True)
        self.select_code(code)

    def _focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # actions
    def _exec(self, dialog: Any) -> int:
        self.dialog_opened.emit(dialog)
        return int(dialog.exec())

    def open_consume(self, batch: Batch | None = None) -> None:
        batch = batch or self.selected_batch()
        if batch is None or self.session is None:
            return
        status = self.model.status_at(self.model.row_of(batch.code) or -1)
        if status in (BatchStatus.EXPIRED, BatchStatus.DELETED, BatchStatus.EMPTY):
            word = {
                BatchStatus.EXPIRED: "has expired",
                BatchStatus.DELETED: "is deleted",
                BatchStatus.EMPTY: "is empty",
            }[status]
            self.statusBar().showMessage(
                f"Batch {batch.code} {word}; nothing can be consumed.", 8_000
            )
            return
        dialog = ConsumeDialog(batch, self.session, self._runner, self)
        dialog.batch_changed.connect(lambda b: self.apply_changes([b]))
        self._exec(dialog)
        dialog.deleteLater()

    def open_register(self) -> None:
        if self.session is None:
            return
        dialog = RegisterDialog(self.settings, self.session, self._runner, self)
        dialog.registered.connect(self._registered)
        self._exec(dialog)
        dialog.deleteLater()

    def _registered(self, result: Any) -> None:
        self.apply_changes([result.batch])
        self.select_code(result.batch.code)
        for warning in result.warnings:
            QMessageBox.warning(self, "Registered — already expired", warning)

    def _change_deleted(self, *, delete: bool) -> None:
        batch, session = self.selected_batch(), self.session
        if batch is None or session is None:
            return
        dialog = ReasonDialog(batch, delete=delete, parent=self)
        if self._exec(dialog) != ReasonDialog.DialogCode.Accepted:
            return
        reason, code, version = dialog.reason_text(), batch.code, batch.version
        change = session.delete if delete else session.restore
        self._runner.run(
            lambda: change(code, reason, version),
            lambda b: self.apply_changes([b]),
            self._change_failed,
        )

    def delete_selected(self) -> None:
        self._change_deleted(delete=True)

    def restore_selected(self) -> None:
        self._change_deleted(delete=False)

    def _change_failed(self, error: BaseException) -> None:
        if isinstance(error, VersionConflict):
            self.apply_changes([error.current])
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        QMessageBox.warning(self, "Not done", text)

    def load_sample_data(self) -> None:
        session = self.session
        if session is None:
            return
        from dairy_desktop.services.sample_data import load_sample_data

        self._runner.run(
            lambda: load_sample_data(session.database, session.actor.for_action()),
            lambda _n: self.reload(),
            self._change_failed,
        )

    def open_audit(self) -> None:
        if self.session is None:
            return
        from dairy_desktop.ui.audit.window import AuditWindow

        window = AuditWindow(self.session, self._runner, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog_opened.emit(window)
        window.show()

    def open_settings(self) -> None:
        from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self._runner, self)
        if self._exec(dialog) and getattr(dialog, "database_url_changed", False):
            self.switch_database(dialog.new_database_url)
        else:
            self.reload()

    def switch_database(self, url: str) -> None:
        self._stop_live_updates()
        if self.session is not None:
            self.session.close()
        self.session, self._url, self._loaded_at = None, url, None
        self._token = -1  # the old database's change token means nothing to the new one
        self._poll_timer.stop()
        self.model.set_batches(
            [], now=utc_now(), zone=self.settings.zone, near_days=self.filters.horizon.value()
        )
        self.connect_database()

    def show_about(self) -> None:
        from dairy_desktop.ui.dialogs.about import about_text

        QMessageBox.about(self, "About Dairy Desktop", about_text(self.session))

    # state
    def _restore_state(self) -> None:
        geometry = load_bytes("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        header = load_bytes("main/header")
        if header is not None and self.table.horizontalHeader().restoreState(header):
            section = self.table.horizontalHeader().sortIndicatorSection()
            self.model.sort(section, self.table.horizontalHeader().sortIndicatorOrder())
        splitter = load_bytes("main/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        save_bytes("main/geometry", self.saveGeometry())
        save_bytes("main/header", self.table.horizontalHeader().saveState())
        save_bytes("main/splitter", self.splitter.saveState())
        for timer in (self._poll_timer, self._retry_timer, self._clock_timer, self._push_timer):
            timer.stop()
        self._stop_live_updates()
        wedge = getattr(self, "wedge", None)
        if wedge is not None:
            wedge.uninstall()
        super().closeEvent(event)
