"""View → Reservations…: every order's litres set aside, with the risk each runs.

Non-modal, beside the main window: order, batch, litres, the planned plant day, when the
batch expires and whether the reservation is at risk (the batch expires before the day is
over, or can no longer be used) and why. Reserve for order… opens the reserve dialog;
Unreserve order lets every reservation of the selected row's order go, after a confirm.
The list is read on a worker and again whenever the window's batches change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

import shiboken6
from PySide6.QtCore import QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import DairyError
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.request_id import new_request_id
from dairy_desktop.services.orders_reserve import OrderReserved
from dairy_desktop.services.orders_unreserve import OrderUnreserved, ReservationNow
from dairy_desktop.ui.orders.order_calls import OrderCalls
from dairy_desktop.ui.orders.reservations_model import ReservationsModel
from dairy_desktop.ui.orders.reserve_dialog import ReserveDialog, reserved_summary
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import secondary_button
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.message_labels import message_banner

# Several batches change at once (an order consumed from three): one read for them all.
RELOAD_DELAY_MS = 200
ApplyChanges = Callable[[list[Batch]], None]


class ReservationsWindow(QMainWindow):
    """`loaded` after each list arrives; `dialog_opened(QDialog)` before a dialog it opens
    runs (tests answer it). `confirm(text) -> bool` asks before letting an order go
    (replaced in tests)."""

    loaded = Signal()
    dialog_opened = Signal(object)

    def __init__(
        self,
        calls: OrderCalls,
        runner: TaskRunner,
        zone: tzinfo,
        parent: QWidget | None = None,
        *,
        changed: SignalInstance | None = None,
        apply_changes: ApplyChanges | None = None,
    ) -> None:
        super().__init__(parent)
        self._calls, self._runner, self._zone = calls, runner, zone
        self._apply = apply_changes
        self._reads = 0
        self.setObjectName("reservationsWindow")
        self.setWindowTitle("Reservations")
        self.resize(860, 420)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("summary")
        layout.addWidget(self.summary)
        self.model = ReservationsModel(self)
        self.table = QTableView()
        self.table.setObjectName("reservations")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.message = message_banner()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.reserve_button = secondary_button(QPushButton("&Reserve for order…"))
        self.reserve_button.clicked.connect(self.open_reserve)
        self.unreserve_button = secondary_button(QPushButton("&Unreserve order…"))
        self.unreserve_button.clicked.connect(self.unreserve_selected)
        self.refresh_button = secondary_button(QPushButton("Re&fresh"))
        self.refresh_button.clicked.connect(self.reload)
        buttons.addWidget(self.reserve_button)
        buttons.addWidget(self.unreserve_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)
        self.setCentralWidget(central)
        refresh = QAction(self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.reload)
        self.addAction(refresh)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        if changed is not None:
            changed.connect(lambda _batches: self._reload_timer.start())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()
        self.reload()

    # the list
    def reload(self) -> None:
        self._reload_timer.stop()
        self._reads += 1
        reads, calls = self._reads, self._calls
        self._runner.run(
            calls.reservations,
            lambda rows: self._came(reads, rows),
            lambda error: self._read_failed(reads, error),
        )

    def _came(self, reads: int, rows: list[ReservationNow]) -> None:
        if not shiboken6.isValid(self) or reads != self._reads:
            return
        selected = self.selected()
        self.model.set_rows(rows)
        at_risk = sum(1 for row in rows if row.at_risk)
        liters = sum(row.reservation.reserved_ml for row in rows)
        orders = len({row.reservation.order_id for row in rows})
        self.summary.setText(
            f"{len(rows)} reservation{'s' if len(rows) != 1 else ''} for {orders} "
            f"order{'s' if orders != 1 else ''}, "
            f"{format_decimal(from_milliliters(liters), 3)} L"
            + (f"  |  AT RISK: {at_risk}" if at_risk else "")
            if rows
            else "No litres are reserved. Reserve for order… sets some aside for an order."
        )
        if selected is not None:
            self.select(selected.reservation.order_id, selected.reservation.batch_code)
        self._update_buttons()
        self.loaded.emit()

    def _read_failed(self, reads: int, error: BaseException) -> None:
        if not shiboken6.isValid(self) or reads != self._reads:
            return
        self._show(str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}")
        self.loaded.emit()

    def selected(self) -> ReservationNow | None:
        return self.model.row_at(self.table.currentIndex().row())

    def select(self, order_id: str, code: str) -> None:
        for number, row in enumerate(self.model.rows()):
            r = row.reservation
            if (r.order_id, r.batch_code) == (order_id, code):
                self.table.selectRow(number)
                return

    def _update_buttons(self) -> None:
        self.unreserve_button.setEnabled(self.selected() is not None)

    # changes
    def open_reserve(self) -> None:
        dialog = ReserveDialog(self._calls, self._runner, self._zone, self)
        dialog.reserved.connect(self._reserved)
        self.dialog_opened.emit(dialog)
        dialog.exec()
        dialog.deleteLater()

    def _reserved(self, reserved: OrderReserved) -> None:
        self.message.hide()
        self.statusBar().showMessage(reserved_summary(reserved), 15_000)
        if self._apply is not None:
            self._apply([line.changed.batch for line in reserved.lines])
        self.reload()

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Unreserve order",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def unreserve_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        order = row.reservation.order_id
        held = [r for r in self.model.rows() if r.reservation.order_id == order]
        liters = format_decimal(from_milliliters(sum(r.reservation.reserved_ml for r in held)), 3)
        if not self.confirm(
            f"Let go of every reservation of {order}: {liters} L on {len(held)} "
            f"batch{'es' if len(held) != 1 else ''}? The litres become free for other orders."
        ):
            return
        calls, request_id = self._calls, new_request_id()
        self._runner.run(
            lambda: calls.unreserve(order, request_id=request_id),
            self._unreserved,
            lambda error: self._show(
                str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
            ),
        )

    def _unreserved(self, done: OrderUnreserved) -> None:
        if not shiboken6.isValid(self):
            return
        self.message.hide()
        self.statusBar().showMessage(f"{done.order_id}: its reservations were let go.", 15_000)
        if self._apply is not None:
            self._apply([line.batch for line in done.lines])
        self.reload()

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
