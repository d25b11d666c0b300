"""What a scan does, wherever the operator is: the one place that routes barcodes.

The wedge hands over raw text; the plant's pattern decides what it is; the open dialog (if
any) decides where it goes. Every scan, accepted or not, lands in the scan log with the
whole reason; the status bar gets a short line (it cuts long ones off) that points there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from dairy_desktop.barcodes.scan_results import (
    BatchScan,
    GS1Scan,
    OrderScan,
    ScanResult,
    UnknownScan,
)
from dairy_desktop.barcodes.visible import quoted
from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.status import DO_NOT_USE, BatchStatus
from dairy_desktop.ui.main.batch_rows import BatchRowView
from dairy_desktop.ui.main.context import MainContext
from dairy_desktop.ui.preferences.scanner_settings import hash_is_fnc1
from dairy_desktop.ui.scanner.scan_log import ScanLog
from dairy_desktop.ui.scanner.scan_log_model import ScanLogModel

if TYPE_CHECKING:
    from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
    from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
    from dairy_desktop.ui.orders.order_consume_dialog import OrderConsumeDialog


class ScanTargets(Protocol):
    """Where a scan made outside any dialog can lead."""

    def find_row(self, code: str) -> BatchRowView | None: ...

    def reveal(self, code: str) -> None: ...

    def open_consume(self, batch: Batch | None = None) -> None: ...

    def open_qa(self, batch: Batch | None = None) -> None: ...

    def open_dispose(self, batch: Batch | None = None) -> None: ...

    def open_release(self, batch: Batch | None = None) -> None: ...

    def open_register(self) -> None: ...

    def show_order(self, order_id: str) -> None: ...


@runtime_checkable
class TakesScans(Protocol):
    """A non-modal window that uses a scan itself while it is in front (the Trace view
    fills its search box); returns what became of it, for the scan log."""

    def take_scan(self, result: ScanResult) -> str: ...


# The status bar shares its line with the summary and cuts long text off; what a scan did
# must fit, and the scan log keeps the whole reason.
STATUS_MS = 15_000
_LOG_HINT = "scan log: Ctrl+Shift+L"
_Dialog = TypeVar("_Dialog", bound=QObject)


class ScanRouter(QObject):
    """Emits `handled(outcome)` after every scan, with the words the scan log shows."""

    handled = Signal(str)

    def __init__(
        self, context: MainContext, targets: ScanTargets, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._context, self._targets = context, targets
        self.log_model = ScanLogModel(ScanLog(), context.settings.zone, self)

    def _parse(self, raw: str) -> ScanResult:
        from dairy_desktop.barcodes.scan_parse import parse_scan  # biip: paid on the first scan

        settings = self._context.settings
        return parse_scan(
            raw,
            code_pattern=settings.code_pattern,
            gs_substitute="#" if hash_is_fnc1() else None,
            now=utc_now().astimezone(settings.zone),
        )

    def would_take(self, raw: str) -> bool:
        """Whether fast keys ended by Enter are a scan for what is in front (the wedge asks).

        With no dialog open, everything is: the window says what it made of it. The consume
        and register dialogs take codes, orders and labels, but a number typed fast into
        their litres field is typing. Any other dialog takes no scans; while the operator is
        in one of its text fields (a reason, a file name), fast keys are that field's text.
        """
        # start-up: loaded when first opened (a dialog open now was opened through them)
        from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
        from dairy_desktop.ui.orders.order_consume_dialog import OrderConsumeDialog

        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return True
        if isinstance(dialog, ConsumeDialog | RegisterDialog | OrderConsumeDialog):
            return _is_code_or_label(self._parse(raw))
        return not _takes_text(QApplication.focusWidget())

    def handle(self, raw: str) -> str:
        # start-up: loaded when first opened (a dialog open now was opened through them)
        from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
        from dairy_desktop.ui.orders.order_consume_dialog import OrderConsumeDialog

        result = self._parse(raw)
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ConsumeDialog):
            outcome = self._into_consume(dialog, result)
        elif isinstance(dialog, OrderConsumeDialog):
            outcome = self._into_order_consume(dialog, result)
        elif isinstance(dialog, RegisterDialog):
            outcome = self._into_register(dialog, result)
        elif dialog is not None:
            outcome = "ignored: finish the open dialog first"
            QApplication.beep()
            self._context.show_message("Scan ignored: finish the open dialog first.", STATUS_MS)
        elif isinstance(window := QApplication.activeWindow(), TakesScans):
            outcome = window.take_scan(result)
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
                if row.status is BatchStatus.PENDING_QA:
                    return self._open_qa(row.batch, code)
                if row.status in DO_NOT_USE:
                    return self._explain_blocked(row)
                why_not = why_not_consumable(row.status)
                if why_not is not None:
                    return self._refuse(
                        f"Batch {code} {why_not}; nothing can be consumed from it.",
                        f"Batch {code} {why_not}: not opened.",
                    )
                batch = row.batch
                # start-up: loaded when first opened (handle() has loaded it already)
                from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog

                self._open_later(
                    ConsumeDialog,
                    lambda: targets.open_consume(batch),
                    lambda dialog: dialog.show_opened_by_scan(code),
                )
                self._context.show_message(f"Scanned {code}: consume opened.", STATUS_MS)
                return f"batch {code}: consume dialog opened"
            case OrderScan(order_id=order_id):
                targets.show_order(order_id)
                self._context.show_message(f"Order {order_id}: its batches shown.", STATUS_MS)
                return f"order {order_id}: batches used for it shown"
            case UnknownScan(raw=raw, reason=reason):
                return self._refuse(reason, f"Scan {quoted(raw, limit=30)} not understood")
        return self._refuse("unexpected scan result")

    def _open_qa(self, batch: Batch, code: str) -> str:
        """A batch awaiting QA is scanned at the lab bench: its result is what comes next."""
        # start-up: loaded when first opened (handle() runs on a scan, not at start)
        from dairy_desktop.ui.dialogs.qa_dialog import QaDialog

        targets = self._targets
        self._open_later(
            QaDialog,
            lambda: targets.open_qa(batch),
            lambda dialog: dialog.show_opened_by_scan(code),
        )
        self._context.show_message(f"Scanned {code}: awaiting QA, QA result opened.", STATUS_MS)
        return f"batch {code}: awaiting QA, QA dialog opened"

    def _explain_blocked(self, row: BatchRowView) -> str:
        """On hold, rejected or recalled: say why where the operator looks, and offer the step
        that fits (release, dispose). Nothing opens for consuming."""
        batch, status = row.batch, row.status
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.blocked_batch_prompt import BlockedBatchPrompt

        targets, context = self._targets, self._context

        session = context.session
        history = (lambda: session.history(batch.code)) if session is not None else None

        def explain() -> None:
            prompt = BlockedBatchPrompt(
                batch, status, context.dialog_parent, history=history, runner=context.runner
            )
            context.dialog_opened.emit(prompt)
            prompt.exec()
            chosen = prompt.chosen
            prompt.deleteLater()
            if chosen == "release":
                targets.open_release(batch)
            elif chosen == "dispose":
                targets.open_dispose(batch)

        QApplication.beep()
        QTimer.singleShot(0, explain)
        why = why_not_consumable(status) or "cannot be used"
        context.show_message(f"Batch {batch.code} {why}: do not use it.", STATUS_MS)
        return f"refused: batch {batch.code} {why}; not opened for consuming"

    def _open_later(
        self, kind: type[_Dialog], open_it: Callable[[], None], prepare: Callable[[_Dialog], None]
    ) -> None:
        """Open a dialog on the next turn of the event loop (so this scan is logged, and the
        wedge's delivery finished, before the modal dialog starts its own loop) and prepare
        it as it opens. Only the dialog this call opens is prepared: the hook is gone once
        ``open_it`` returns, opened or refused."""
        opened = self._context.dialog_opened
        hooked = [False]

        def hook(dialog: QObject) -> None:
            if hooked[0] and isinstance(dialog, kind):
                hooked[0] = False
                opened.disconnect(hook)
                prepare(dialog)

        def run() -> None:
            opened.connect(hook)
            hooked[0] = True
            try:
                open_it()  # returns once the dialog has closed, or at once when refused
            finally:
                if hooked[0]:
                    hooked[0] = False
                    opened.disconnect(hook)

        QTimer.singleShot(0, run)

    def _register_new(self, result: BatchScan | GS1Scan) -> str:
        # start-up: loaded when first opened (handle() has loaded it already)
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog

        code = result.code if isinstance(result, BatchScan) else result.batch_code
        self._open_later(
            RegisterDialog,
            self._targets.open_register,
            lambda d: self._prefill(d, result, received_now=True),
        )
        self._context.show_message(f"New batch {code}: register opened.", STATUS_MS)
        return f"unknown batch {code}: register dialog opened"

    def _prefill(
        self, dialog: RegisterDialog, result: BatchScan | GS1Scan, *, received_now: bool = False
    ) -> None:
        """`received_now`: the scan opened the dialog, so the delivery is received now. A
        label scanned into a dialog already open keeps the received time the operator set
        (a late entry for yesterday's delivery stays yesterday's)."""
        if isinstance(result, BatchScan):
            dialog.prefill(code=result.code)
            return
        received = None
        if received_now:
            session = self._context.session  # the database server's clock, where it has one
            received = session.now() if session is not None else utc_now()
        # The dialog counts the shelf life from the label's expiry date (AI 17, else the day
        # of AI 7003) and, for a date already passed or out of range, names the date and
        # leaves the choice to the operator instead of inventing one.
        dialog.prefill(
            code=result.batch_code,
            liters=result.net_volume_liters,
            shelf_life_days=None,
            received=received,
            label_expiry=result.expiry_date,
            label_expiry_time=(
                result.expiry_datetime.time() if result.expiry_datetime is not None else None
            ),
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
                dialog.show_opened_by_scan(code)
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
            case UnknownScan(raw=raw, reason=reason):
                return self._refuse(reason, f"Scan {quoted(raw, limit=30)} not understood")
        return self._refuse("unexpected scan result")

    def _into_order_consume(self, dialog: OrderConsumeDialog, result: object) -> str:
        """An order fills the order field (litres are next); a batch label adds that batch
        to the split, the operator standing at its tank."""
        match result:
            case OrderScan(order_id=order_id):
                dialog.fill_order(order_id)
                return f"order {order_id}: filled into the consume-for-order dialog"
            case BatchScan(code=code) | GS1Scan(batch_code=code):
                outcome = dialog.add_batch(code)
                if outcome.startswith("refused"):
                    QApplication.beep()
                return outcome
            case UnknownScan(raw=raw, reason=reason):
                return self._refuse(reason, f"Scan {quoted(raw, limit=30)} not understood")
        return self._refuse("unexpected scan result")

    def _into_register(self, dialog: RegisterDialog, result: object) -> str:
        match result:
            case BatchScan() | GS1Scan():
                self._prefill(dialog, result)
                return f"{result.summary()}: filled into the register dialog"
            case OrderScan(order_id=order_id):
                return self._refuse(f"{order_id} is an order, not a batch label.")
            case UnknownScan(raw=raw, reason=reason):
                return self._refuse(reason, f"Scan {quoted(raw, limit=30)} not understood")
        return self._refuse("unexpected scan result")

    def _refuse(self, reason: str, short: str | None = None) -> str:
        """Beep; the status bar gets ``short`` (or the reason) and where the rest is."""
        QApplication.beep()
        self._context.show_message(f"{short or reason} — {_LOG_HINT}", STATUS_MS)
        return f"refused: {reason}"


def _is_code_or_label(result: ScanResult) -> bool:
    """A batch code, an order id, or a GS1 label that says so (symbology identifier) or
    carries a code of the plant's pattern. Text read as GS1 only by luck, such as "1000.5"
    (AI 10, batch "00.5"), is a number typed fast."""
    match result:
        case BatchScan() | OrderScan():
            return True
        case GS1Scan(symbology=symbology, code_matches_pattern=matches):
            return symbology is not None or matches
    return False


def _takes_text(widget: QWidget | None) -> bool:
    match widget:
        case QLineEdit() | QAbstractSpinBox():
            return not widget.isReadOnly()
        case QPlainTextEdit() | QTextEdit():
            return not widget.isReadOnly()
        case QComboBox():
            return widget.isEditable()
    return False
