"""What a scan does, wherever the operator is: the one place that routes barcodes.

The wedge hands over raw text; the plant's pattern decides what it is; the open dialog (if
any) decides where it goes. Every scan, accepted or not, lands in the scan log.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from dairy_desktop.barcodes.scan_results import BatchScan, GS1Scan, OrderScan, UnknownScan
from dairy_desktop.domain.batch import MAX_SHELF_LIFE_DAYS, MIN_SHELF_LIFE_DAYS
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.scanner.scan_log import ScanLog
from dairy_desktop.ui.scanner.scan_log_model import ScanLogModel

if TYPE_CHECKING:
    from dairy_desktop.ui.main.window import MainWindow

_UNUSABLE = {
    BatchStatus.EXPIRED: "has expired",
    BatchStatus.DELETED: "is deleted",
    BatchStatus.EMPTY: "is empty",
}


def shelf_life_from_expiry(expiry: date, received: datetime, zone: object) -> int:
    """Days from the received day to the label's expiry date, kept within 1–30."""
    days = (expiry - received.astimezone(zone).date()).days  # type: ignore[arg-type]
    return max(MIN_SHELF_LIFE_DAYS, min(MAX_SHELF_LIFE_DAYS, days))


class ScanRouter(QObject):
    """Emits `handled(outcome)` after every scan, with the words the scan log shows."""

    handled = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.log_model = ScanLogModel(ScanLog(), window.settings.zone, self)

    def handle(self, raw: str) -> str:
        from dairy_desktop.barcodes.scan_parse import parse_scan  # biip: paid on the first scan

        window = self._window
        result = parse_scan(
            raw,
            code_pattern=window.settings.code_pattern,
            now=utc_now().astimezone(window.settings.zone),
        )
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConsumeDialog):
            outcome = self._into_consume(dialog, result)
        elif isinstance(dialog, RegisterDialog):
            outcome = self._into_register(dialog, result)
        elif dialog is not None:
            outcome = "ignored: finish the open dialog first"
            QApplication.beep()
        else:
            outcome = self._in_window(result)
        self.log_model.record(raw, outcome, at=utc_now())
        self.handled.emit(outcome)
        return outcome

    # no dialog open
    def _in_window(self, result: object) -> str:
        window = self._window
        match result:
            case BatchScan(code=code) | GS1Scan(batch_code=code):
                row = window.model.find(code)
                if row is None:
                    return self._register_new(result)
                window.reveal(code)
                if row.status in _UNUSABLE:
                    return self._refuse(
                        f"Batch {code} {_UNUSABLE[row.status]}; nothing can be consumed from it."
                    )
                # Opened on the next turn of the event loop, so this scan is logged (and the
                # wedge's delivery finished) before the modal dialog starts its own loop.
                QTimer.singleShot(0, lambda: window.open_consume(row.batch))
                return f"batch {code}: consume dialog opened"
            case OrderScan(order_id=order_id):
                window.filters.search.setText(order_id)
                window.statusBar().showMessage(f"Showing batches used for order {order_id}.", 8_000)
                return f"order {order_id}: batches used for it shown"
            case UnknownScan(reason=reason):
                return self._refuse(reason)
        return self._refuse("unexpected scan result")

    def _register_new(self, result: BatchScan | GS1Scan) -> str:
        window = self._window
        code = result.code if isinstance(result, BatchScan) else result.batch_code

        def prefill(dialog: object) -> None:
            if not isinstance(dialog, RegisterDialog):
                return
            window.dialog_opened.disconnect(prefill)
            self._prefill(dialog, result)

        window.dialog_opened.connect(prefill)
        QTimer.singleShot(0, window.open_register)
        return f"unknown batch {code}: register dialog opened"

    def _prefill(self, dialog: RegisterDialog, result: BatchScan | GS1Scan) -> None:
        if isinstance(result, BatchScan):
            dialog.prefill(code=result.code)
            return
        received = utc_now()
        shelf_life = (
            shelf_life_from_expiry(result.expiry_date, received, self._window.settings.zone)
            if result.expiry_date
            else None
        )
        dialog.prefill(
            code=result.batch_code,
            liters=result.net_volume_liters,
            shelf_life_days=shelf_life,
            received=received,
        )
        problems = result.problems()
        if problems:
            dialog.show_scan_warnings(problems)

    # a dialog is open: the scan goes to the field it belongs to
    def _into_consume(self, dialog: ConsumeDialog, result: object) -> str:
        match result:
            case OrderScan(order_id=order_id):
                dialog.order.setText(order_id)
                dialog.liters.setFocus()
                return f"order {order_id}: filled into the consume dialog"
            case BatchScan(code=code) | GS1Scan(batch_code=code) if code == dialog.loaded.code:
                dialog.liters.setFocus()
                return f"batch {code}: already open"
            case BatchScan(code=code) | GS1Scan(batch_code=code):
                answer = QMessageBox.question(
                    dialog,
                    "Switch batch?",
                    f"You scanned batch {code}, but this dialog is for {dialog.loaded.code}.\n"
                    f"Close this one (nothing is saved) and consume from {code} instead?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return f"batch {code}: kept {dialog.loaded.code}"
                dialog.reject()
                return f"batch {code}: switched — " + self._in_window(result)
            case UnknownScan(reason=reason):
                return self._refuse(reason)
        return self._refuse("unexpected scan result")

    def _into_register(self, dialog: RegisterDialog, result: object) -> str:
        match result:
            case BatchScan() | GS1Scan():
                self._prefill(dialog, result)
                return f"{result.summary()}: filled into the register dialog"
            case OrderScan(order_id=order_id):
                return self._refuse(f"{order_id} is an order, not a batch label.")
            case UnknownScan(reason=reason):
                return self._refuse(reason)
        return self._refuse("unexpected scan result")

    def _refuse(self, reason: str) -> str:
        QApplication.beep()
        self._window.statusBar().showMessage(f"Scan not used: {reason}", 15_000)
        return f"refused: {reason}"
