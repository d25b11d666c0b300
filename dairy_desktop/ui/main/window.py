"""The window the plant office lives in all day: the shell around the batch table.

It lays out the widgets, menus, toolbar and status bar and wires them to three collaborators:
the controller (connecting, loading, polling, live updates), the batch actions (dialogs and
changes) and the scan router. Those get narrow views of the window (`MainContext`,
`BatchSelection`, ...) and never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as html_escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.allowances import allowance
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.actor import Actor
from dairy_desktop.ui.main.audit_watch import AuditWatch
from dairy_desktop.ui.main.banner import Banner
from dairy_desktop.ui.main.batch_actions import BatchActions
from dairy_desktop.ui.main.batch_rows import BatchRowView, RowFilter, StatusFilter
from dairy_desktop.ui.main.batch_table_model import BatchTableModel
from dairy_desktop.ui.main.batch_view import BatchView
from dairy_desktop.ui.main.controller import OpenSession, WindowController
from dairy_desktop.ui.main.filter_bar import FilterBar
from dairy_desktop.ui.main.legend import Legend
from dairy_desktop.ui.main.lifecycle_offers import NOTHING, offers
from dairy_desktop.ui.main.printing_actions import install_printing_actions, printing_actions
from dairy_desktop.ui.main.quit_guard import finish_changes
from dairy_desktop.ui.main.scan_router import ScanRouter
from dairy_desktop.ui.main.sort_menu import sort_menu
from dairy_desktop.ui.main.status_summary import summarise
from dairy_desktop.ui.main.table_context_menu import KeyboardContextMenu
from dairy_desktop.ui.orders.opener import open_order_consume, open_reservations
from dairy_desktop.ui.planning.opener import open_planning
from dairy_desktop.ui.preferences.scanner_settings import load_wedge_settings
from dairy_desktop.ui.preferences.window_state import load_bytes, save_bytes
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.trace.opener import open_trace
from dairy_desktop.ui.widgets.status_style import StatusStyle

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession

ORDER_SEARCH_DELAY_MS = 300
CONNECTION_MAX_WIDTH = 360  # px: the status bar's message (a scan's outcome) needs the rest
APP_TITLE = "Dairy Desktop"


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
        open_session: OpenSession | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self._totals: tuple[int, str] = (-1, "")
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 760)

        self.model = BatchTableModel(PlantSettings().zone, self)
        self._build_widgets()
        self.controller = WindowController(
            database_url,
            actor,
            runner,
            self.model,
            keep_place=self.view.keeping_place,
            horizon=self.filters.horizon_days,
            open_session=open_session,
            parent=self,
        )
        self.audit_watch = AuditWatch(
            lambda: self.controller.session, lambda: self.runner, parent=self
        )
        self.batch_actions = BatchActions(self, self, self.model, self.controller, self)
        self.scans = ScanRouter(self, self, self)
        self.wedge = ScannerWedge(load_wedge_settings(), parent=self)
        self._build_actions()
        self._wire()
        self._restore_state()
        self._update_actions()
        install_printing_actions(self)  # File → print/export sheet, labels (needs the menus)
        self.printing = printing_actions(self)
        self._order_timer = QTimer(self)
        self._order_timer.setSingleShot(True)
        self._order_timer.setInterval(ORDER_SEARCH_DELAY_MS)
        self._order_timer.timeout.connect(self.search_orders)
        # Rows changed one by one (another PC's consumes, a poll's few rows) are summed up
        # once per turn of the event loop: the totals walk every row, 10,000 at a big plant.
        self._row_change_timer = QTimer(self)
        self._row_change_timer.setSingleShot(True)
        self._row_change_timer.setInterval(0)
        self._row_change_timer.timeout.connect(self._rows_changed)

    # what the actions, printing and scan routing see of the window (MainContext)
    @property
    def session(self) -> AppSession | None:
        return self.controller.session

    @property
    def settings(self) -> PlantSettings:
        return self.controller.settings

    @property
    def dialog_parent(self) -> QWidget:
        return self

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def clear_message(self) -> None:
        self.statusBar().clearMessage()

    # construction
    def _build_widgets(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.audit_banner = Banner(name="auditBanner", action=None)
        layout.addWidget(self.audit_banner)
        self.filters = FilterBar()
        layout.addWidget(self.filters)
        self.legend = Legend(StatusStyle(self.palette()))
        layout.addWidget(self.legend)
        self.view = BatchView(self.model)
        self.table, self.empty, self.stack = self.view.table, self.view.empty, self.view.stack
        self.details = self.view.details
        layout.addWidget(self.view, 1)
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
        # Compact: a scan's outcome is shown in the space left of the permanent widgets.
        self.connection.setMaximumWidth(CONNECTION_MAX_WIDTH)
        # Shown only while this PC's clock is more than a minute off the database server's.
        self.clock_warning = QLabel()
        self.clock_warning.setObjectName("clockWarning")
        self.clock_warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.clock_warning.hide()
        self.audit_warning = QLabel("Audit check FAILED")
        self.audit_warning.setObjectName("auditWarning")
        self.audit_warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.audit_warning.hide()
        self.statusBar().addWidget(self.summary, 1)
        self.statusBar().addPermanentWidget(self.audit_warning)
        self.statusBar().addPermanentWidget(self.clock_warning)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.connection)

    def _action(
        self, text: str, shortcut: str | None, slot: Callable[[], object], tip: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(
            f"{tip or text.replace('&', '').rstrip('…')}"
            f"{f' ({action.shortcut().toString()})' if shortcut else ''}"
        )
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        actions = self.batch_actions
        self.act_register = self._action("&Register delivery…", "Ctrl+N", actions.open_register)
        self.act_consume = self._action("&Consume…", "Ctrl+E", actions.open_consume)
        self.act_consume_order = self._action(
            "Consume for &order…",
            "Ctrl+Shift+E",
            lambda: open_order_consume(self, self.apply_changes),
            "Take an order's litres from one or more batches, first expiring first",
        )
        self.act_reservations = self._action(
            "Reser&vations…",
            "Ctrl+Shift+V",
            lambda: open_reservations(self, self.controller.batches_changed, self.apply_changes),
            "Litres set aside for orders, and those at risk",
        )
        self.act_delete = self._action("&Delete…", "Del", actions.delete_selected)
        self.act_restore = self._action("Re&store…", "Ctrl+R", actions.restore_selected)
        self.act_qa = self._action("&QA result…", "Ctrl+T", actions.open_qa, "Record a lab result")
        self.act_hold = self._action("&Hold…", "Ctrl+H", actions.hold_selected, "Put on hold")
        self.act_release = self._action(
            "R&elease hold…", "Ctrl+Shift+H", actions.release_selected, "Lift the hold"
        )
        # A recall is final: its dialog asks for a reason, then asks once more.
        self.act_recall = self._action(
            "Rec&all…", "Ctrl+Shift+R", actions.recall_selected, "Recall for good, list the orders"
        )
        self.act_dispose = self._action(
            "Dis&pose…", "Ctrl+Shift+D", actions.open_dispose, "Write litres off, with a reason"
        )
        self.lifecycle_actions = [
            self.act_qa,
            self.act_hold,
            self.act_release,
            self.act_recall,
            self.act_dispose,
        ]
        self.act_refresh = self._action("&Refresh", "F5", self.reload)
        self.act_audit = self._action("&Audit trail…", "Ctrl+L", actions.open_audit)
        self.act_planning = self._action(
            "&Planning…",
            "Ctrl+Shift+G",
            lambda: open_planning(self, self.controller.batches_changed),
            "Litres expiring per day: available, reserved, fat %",
        )
        self.act_trace = self._action(
            "&Trace…",
            "Ctrl+Shift+T",
            lambda: open_trace(self, self.selected_code()),
            "Trace where a batch's milk went, or type or scan an order",
        )
        self.act_settings = self._action("&Settings…", "Ctrl+,", actions.open_settings)
        self.act_sample = self._action("Load sa&mple data", None, actions.load_sample_data)
        self.act_quit = self._action("&Quit", "Ctrl+Q", self.close)
        self.act_find = self._action("&Find…", "Ctrl+F", self._focus_search)
        self.act_show_deleted = self._action("Show &deleted", "Ctrl+D", lambda: None)
        self.act_show_deleted.setCheckable(True)
        self.act_about = self._action("&About Dairy Desktop", "F1", actions.show_about)
        self.act_scan_log = self._action("Scan &log…", "Ctrl+Shift+L", self.scans.open_log)
        self.act_scan_box = self._action(
            "Scan &box", "Ctrl+K", self._focus_scan_box, "Type or paste a code as if scanned"
        )
        self.act_scanner = self._action(
            "Scan&ner…",
            "Ctrl+Shift+K",
            self._open_scanner_settings,
            "How this PC's barcode scanner types",
        )

        menus = self.menuBar()
        self.file_menu = menus.addMenu("&File")
        self.file_menu.addActions([self.act_register, self.act_sample])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.act_settings, self.act_scanner])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.act_quit)
        self.batch_menu = menus.addMenu("&Batch")
        self.batch_menu.addActions(
            [self.act_consume, self.act_consume_order, self.act_delete, self.act_restore]
        )
        self.batch_menu.addSeparator()
        self.batch_menu.addActions(self.lifecycle_actions)
        self.batch_menu.addSeparator()
        self.batch_menu.addAction(self.act_trace)
        view_menu = menus.addMenu("&View")
        view_menu.addActions([self.act_refresh, self.act_find, self.act_show_deleted])
        view_menu.addMenu(sort_menu(self.table, self))
        view_menu.addSeparator()
        view_menu.addActions([self.act_audit, self.act_planning, self.act_reservations])
        view_menu.addActions([self.act_scan_log, self.act_scan_box])
        self.view_menu = view_menu
        menus.addMenu("&Help").addAction(self.act_about)

        self.toolbar = QToolBar("Main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addActions(
            [
                self.act_register,
                self.act_consume,
                self.act_consume_order,
                self.act_delete,
                self.act_restore,
            ]
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
        separator = QAction(self.table)
        separator.setSeparator(True)
        self.table.addActions([separator, *self.lifecycle_actions, self.act_trace])
        self.table_menu = KeyboardContextMenu(self.table)  # Menu key and Shift+F10 too

    def _wire(self) -> None:
        self.filters.changed.connect(self._apply_filter)
        self.filters.search.textChanged.connect(lambda _t: self._order_timer.start())
        self.filters.horizon_changed.connect(self.controller.set_horizon)
        self.filters.show_deleted.toggled.connect(self.act_show_deleted.setChecked)
        self.act_show_deleted.toggled.connect(self.filters.show_deleted.setChecked)
        self.table.doubleClicked.connect(lambda _i: self.batch_actions.open_consume())
        self.table.activated.connect(lambda _i: self.batch_actions.open_consume())  # Enter / Return
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._after_model_change)
        self.model.rowsInserted.connect(self._after_model_change)
        self.model.rowsRemoved.connect(self._after_model_change)
        # A consume, delete or restore changes a row in place: the totals change with it,
        # and so does what the row allows (a deleted batch may be restored, not consumed).
        self.model.dataChanged.connect(self._row_changed)
        self.details.qa_requested.connect(lambda: self.batch_actions.open_qa())
        self.details.dispose_requested.connect(lambda: self.batch_actions.open_dispose())
        self.details.reverse_requested.connect(self.batch_actions.open_reverse)
        self.empty.register_button.clicked.connect(self.batch_actions.open_register)
        self.empty.sample_button.clicked.connect(self.batch_actions.load_sample_data)
        self.banner.retry.clicked.connect(self.controller.retry_now)
        self.runner.busy_changed.connect(self.busy.setVisible)
        self.wedge.scanned.connect(self.scans.handle)
        self.wedge.set_scan_check(self.scans.would_take)

        data = self.controller
        data.connected.connect(self.connected)
        data.loaded.connect(self.loaded)
        data.connection_text.connect(self._show_connection)
        data.unavailable.connect(self.banner.show_message)
        data.available.connect(self.banner.hide)
        data.settings_changed.connect(self._settings_changed)
        data.batches_changed.connect(self._batches_changed)
        data.message.connect(self.show_message)
        data.message_cleared.connect(self.clear_message)
        data.clock_warning.connect(self._show_clock_warning)
        data.connected.connect(self.audit_watch.connected)
        data.loaded.connect(self.audit_watch.listing_loaded)
        self.audit_watch.failed.connect(self._show_audit_failure)
        self.audit_watch.passed.connect(self._hide_audit_failure)
        data.state_changed.connect(self._update_actions)
        data.history_loaded.connect(self.details.show_history)
        # Looked up at each answer, not bound once: the window benchmark times it by replacing it.
        data.orders_found.connect(lambda text, codes: self._orders_found((text, codes)))

    # connection and loading (the controller's)
    def start(self) -> None:
        """Show first, then connect: the window never waits for the database."""
        self.wedge.install()
        self.controller.start()

    def reload(self) -> None:
        self.controller.reload()

    def poll(self) -> None:
        self.controller.poll()

    def switch_database(self, url: str) -> None:
        self.controller.switch_database(url)

    def is_live(self) -> bool:
        return self.controller.is_live()

    def apply_changes(self, batches: list[Batch]) -> None:
        """Take in changed batches in place, keeping the selection and scroll."""
        self.controller.apply_changes(batches)

    def _settings_changed(
        self, previous: PlantSettings, current: PlantSettings, first: bool
    ) -> None:
        horizon_was_default = self.filters.horizon_days() == previous.near_expiry_days
        self.model.set_temperature_limit(current.temperature_limit_deci)
        self.details.set_settings(current)
        self.setWindowTitle(f"{APP_TITLE} — {current.plant_name}")
        if horizon_was_default or first or not self.filters.horizon_known():
            self.filters.show_horizon(current.near_expiry_days)

    def _show_clock_warning(self, text: str) -> None:
        self.clock_warning.setText(
            f"{text[:1].upper()}{text[1:]}: statuses are shown by the server's clock"
            if text
            else ""
        )
        self.clock_warning.setToolTip(
            "Expiry is decided by the database server's clock. Set this PC's clock right "
            "(or ask IT to) so times typed here mean what they say."
            if text
            else ""
        )
        self.clock_warning.setVisible(bool(text))

    def _show_audit_failure(self, message: str) -> None:
        self.audit_banner.show_message(
            "<b>The audit trail does not prove the stock shown.</b> The daily check found: "
            f"{html_escape(message)}. Something changed the record outside the app, or an "
            "event was altered. Tell an administrator, who can run "
            "<code>dairy-desktop audit verify</code> for the details."
        )
        self.audit_warning.setToolTip(message)
        self.audit_warning.show()

    def _hide_audit_failure(self) -> None:
        self.audit_banner.hide()
        self.audit_warning.hide()

    def _show_connection(self, text: str) -> None:
        self.connection.setText(text)
        session = self.session
        # The full place (never a password) for whoever hovers: the label may be shortened.
        self.connection.setToolTip(session.database.location if session is not None else "")

    def _batches_changed(self, batches: list[Batch]) -> None:
        """The selected batch's history, and an open consume or lifecycle dialog, follow its
        changes."""
        selected = self.details.code
        if selected is not None and any(batch.code == selected for batch in batches):
            self.controller.load_history(selected)
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
        from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog

        dialogs: list[ConsumeDialog | ChangeDialog] = [
            *self.findChildren(ConsumeDialog),
            *self.findChildren(ChangeDialog),
        ]
        for dialog in dialogs:
            for batch in batches:
                if batch.code == dialog.loaded.code:
                    dialog.mark_out_of_date(batch)

    # filters and selection
    def _apply_filter(self) -> None:
        current = self.model.row_filter()
        text = self.filters.search.text()
        # Read before the reset: the reset clears the selection (and the details with it).
        selected = self.selected_code()
        self.model.set_filter(
            RowFilter(
                text=text,
                status=self.filters.status_filter(),
                show_deleted=self.filters.show_deleted.isChecked(),
                order_codes=current.order_codes if text else frozenset(),
            )
        )
        if selected:
            self.select_code(selected)  # the same batch, if the filter still shows it

    def search_orders(self) -> None:
        """Also match batches used for orders like the search text (after a typing pause)."""
        self.controller.search_orders(self.filters.search.text().strip())

    def _orders_found(self, found: tuple[str, set[str]]) -> None:
        text, codes = found
        if text != self.filters.search.text().strip():
            return  # typed on since
        current = self.model.row_filter()
        self.model.set_filter(
            RowFilter(current.text, current.status, current.show_deleted, frozenset(codes))
        )

    def selected_code(self) -> str | None:
        return self.view.selected_code()

    def selected_batch(self) -> Batch | None:
        return self.view.selected_batch()

    def select_code(self, code: str, *, scroll: bool = True) -> bool:
        return self.view.select_code(code, scroll=scroll)

    def find_row(self, code: str) -> BatchRowView | None:
        """The batch's row, whether or not the filter shows it."""
        return self.model.find(code)

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

    def show_order(self, order_id: str) -> None:
        self.filters.search.setText(order_id)

    def _selection_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.view.refresh_details()
        self._update_actions()
        batch = self.model.batch_at(current.row()) if current.isValid() else None
        if batch is not None:
            self.controller.load_history(batch.code)

    def _after_model_change(self, *_args: object) -> None:
        self.view.show_empty(self.model.total_count() == 0 and self.controller.has_loaded)
        self._show_summary()
        self.view.refresh_details()
        self._update_actions()

    def _row_changed(self, *_args: object) -> None:
        self._row_change_timer.start()

    def _rows_changed(self) -> None:
        self._show_summary()
        self._update_actions()

    def _show_summary(self) -> None:
        if self._totals[0] != self.model.data_version:  # totals change with data, not filters
            self._totals = (self.model.data_version, summarise(self.model.all_rows()))
        self.summary.setText(f"{self.model.rowCount()} shown  |  {self._totals[1]}")

    def _update_actions(self) -> None:
        online = self.session is not None
        status = self.model.status_at(self.table.currentIndex().row())
        allowed = allowance(status) if status is not None and online else None
        self.act_consume.setEnabled(allowed is not None and allowed.consume)
        self.act_delete.setEnabled(allowed is not None and allowed.delete)
        self.act_restore.setEnabled(allowed is not None and allowed.restore)
        batch = self.model.batch_at(self.table.currentIndex().row())
        offered = offers(batch, status) if batch is not None and status is not None else NOTHING
        for action, on in zip(
            self.lifecycle_actions,
            (offered.qa, offered.hold, offered.release, offered.recall, offered.dispose),
            strict=True,
        ):
            action.setEnabled(online and on)
        for action in (self.act_register, self.act_sample, self.act_audit, self.act_trace):
            action.setEnabled(online)
        self.act_consume_order.setEnabled(online)
        self.act_reservations.setEnabled(online)

    # the batch actions (kept on the window: the scan router and callers open them here)
    def open_consume(self, batch: Batch | None = None) -> None:
        self.batch_actions.open_consume(batch)

    def open_register(self) -> None:
        self.batch_actions.open_register()

    def open_qa(self, batch: Batch | None = None) -> None:
        self.batch_actions.open_qa(batch)

    def open_dispose(self, batch: Batch | None = None) -> None:
        self.batch_actions.open_dispose(batch)

    def open_release(self, batch: Batch | None = None) -> None:
        self.batch_actions.release_selected(batch)

    def _open_scanner_settings(self) -> None:
        # start-up: loaded when first opened
        from dairy_desktop.ui.scanner.scanner_dialog import ScannerSettingsDialog

        dialog = ScannerSettingsDialog(self.wedge, self)
        self.dialog_opened.emit(dialog)
        dialog.exec()
        dialog.deleteLater()

    # keyboard focus
    def _focus_scan_box(self) -> None:
        self.scan_box.setFocus()
        self.scan_box.selectAll()

    def _scan_box_entered(self) -> None:
        text = self.scan_box.text()
        if text.strip():
            self.scan_box.clear()
            self.scans.handle(text)

    def _focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # state
    def _restore_state(self) -> None:
        geometry = load_bytes("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.view.restore_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.batch_actions.in_flight:
            self.show_message(f"Finishing {'; '.join(self.batch_actions.in_flight)}…")
        finish_changes(self.batch_actions, self)  # a change already sent finishes or is named
        save_bytes("main/geometry", self.saveGeometry())
        self.view.save_state()
        self.audit_watch.stop()
        self.wedge.uninstall()
        self.controller.close()
        super().closeEvent(event)
