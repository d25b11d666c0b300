"""What a scan does, wherever the operator is: the one place that routes barcodes.

The wedge hands over raw text; the plant's pattern decides what it is; the open dialog (if
any) decides where it goes. Every scan, accepted or not, lands in the scan log.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from dairy_desktop.barcodes.scan_results import BatchScan, GS1Scan, OrderScan, UnknownScan
from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.batch import MAX_SHELF_LIFE_DAYS, MIN_SHELF_LIFE_DAYS, Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.ui.main.batch_rows import BatchRowView
from dairy_desktop.ui.main.context import MainContext
from dairy_desktop.ui.scanner.scan_log import ScanLog
from dairy_desktop.ui.scanner.scan_log_model import ScanLogModel

if TYPE_CHECKING:
    from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
    from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog


class ScanTargets(Protocol):
    """Where a scan made outside any dialog can lead."""

    def find_row(self, code: str) -> BatchRowView | None: ...

    def reveal(self, code: str) -> None: ...

    def open_consume(self, batch: Batch | None = None) -> None: ...

    def open_register(self) -> None: ...

    def show_order(self, order_id: str) -> None: ...


def shelf_life_from_expiry(expiry: date, received: datetime, zone: tzinfo) -> int:
    """Days from the received day to the label's expiry date, kept within 1–30."""
    days = (expiry - received.astimezone(zone).date()).days
    return max(MIN_SHELF_LIFE_DAYS, min(MAX_SHELF_LIFE_DAYS, days))


class ScanRouter(QObject):
    """Emits `handled(outcome)` after every scan, with the words the scan log shows."""

    handled = Signal(str)

    def __init__(
        self, context: MainContext, targets: ScanTargets, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context, self._targets = context, targets
        self.log_model = ScanLogModel(ScanLog(), context.settings.zone, self)

    def handle(self, raw: str) -> str:
        from dairy_desktop.barcodes.scan_parse import parse_scan  # biip: paid on the first scan

        # start-up: loaded when first opened (a dialog open now was opened through them)
        from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog

        settings = self._context.settings
        result = parse_scan(
            raw,
            code_pattern=settings.code_pattern,
            now=utc_now().astimezone(settings.zone),
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

    def open_log(self) -> None:
        """Every scan this session, with what became of it."""
        # start-up: loaded when first opened
        from dairy_desktop.ui.scanner.scan_log_window import ScanLogWindow

        window = ScanLogWindow(self.log_model, self._context.dialog_parent)
        self._context.dialog_opened.emit(window)
        window.show()

    # no dialog open
    def _in_window(self, result: object) -> str:
        targets = self._targets
        match result:
            case BatchScan(code=code) | GS1Scan(batch_code=code):
                row = targets.find_row(code)
                if row is None:
                    return self._register_new(result)
                targets.reveal(code)
                why_not = why_not_consumable(row.status)
                if why_not is not None:
                    return self._refuse(f"Batch {code} {why_not}; nothing can be consumed from it.")
                batch = row.batch
                # Opened on the next turn of the event loop, so this scan is logged (and the
                # wedge's delivery finished) before the modal dialog starts its own loop.
                QTimer.singleShot(0, lambda: targets.open_consume(batch))
                return f"batch {code}: consume dialog opened"
            case OrderScan(order_id=order_id):
                targets.show_order(order_id)
                self._context.show_message(f"Showing batches used for order {order_id}.", 8_000)
                return f"order {order_id}: batches used for it shown"
            case UnknownScan(reason=reason):
                return self._refuse(reason)
        return self._refuse("unexpected scan result")

    def _register_new(self, result: BatchScan | GS1Scan) -> str:
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog

        opened = self._context.dialog_opened
        code = result.code if isinstance(result, BatchScan) else result.batch_code

        def prefill(dialog: object) -> None:
            if not isinstance(dialog, RegisterDialog):
                return
            opened.disconnect(prefill)
            self._prefill(dialog, result)

        opened.connect(prefill)
        QTimer.singleShot(0, self._targets.open_register)
        return f"unknown batch {code}: register dialog opened"

    def _prefill(self, dialog: RegisterDialog, result: BatchScan | GS1Scan) -> None:
        if isinstance(result, BatchScan):
            dialog.prefill(code=result.code)
            return
        session = self._context.session  # the database server's clock, where it has one
        received = session.now() if session is not None else utc_now()
        shelf_life = (
            shelf_life_from_expiry(result.expiry_date, received, self._context.settings.zone)
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
        self._context.show_message(f"Scan not used: {reason}", 15_000)
        return f"refused: {reason}"
