"""What the operator does to batches from the main window: register, consume, delete and
restore, QA results, hold, release, recall, write-offs and reversals, and the windows and
dialogs the menus open (audit trail, settings, about).

Each action opens its dialog on the window, runs the change through the runner, and hands
the changed batch to the controller, which updates the table in place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMessageBox

from dairy_desktop.config.local_settings import OPERATOR_ENV
from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import DairyError, VersionConflict
from dairy_desktop.domain.request_id import new_request_id
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.actor import Actor, make_actor
from dairy_desktop.ui.dialogs.submit_id import may_have_landed
from dairy_desktop.ui.main.batch_table_model import BatchTableModel
from dairy_desktop.ui.main.context import BatchSelection, MainContext
from dairy_desktop.ui.main.controller import WindowController

if TYPE_CHECKING:
    from dairy_desktop.services.register import Registered
    from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
    from dairy_desktop.ui.dialogs.hold_dialog import HoldChange
    from dairy_desktop.ui.dialogs.lifecycle_calls import LifecycleCalls, Recalled


# What to do instead, when Enter (or a double click) on a batch cannot consume from it.
_NEXT_STEP = {
    BatchStatus.EXPIRED: " Dispose of it with Ctrl+Shift+D.",
    BatchStatus.PENDING_QA: " Record its QA result with Ctrl+T.",
    BatchStatus.ON_HOLD: " Lift the hold with Ctrl+Shift+H once it may be used.",
    BatchStatus.REJECTED: " Dispose of it as a rejected load with Ctrl+Shift+D.",
    BatchStatus.RECALLED: " Dispose of it with Ctrl+Shift+D.",
}


class BatchActions(QObject):
    """`model` says what status a batch has now; `data` takes in every changed batch.

    `in_flight` names the changes sent from here (delete, restore, sample data) whose
    answer has not come back yet; `settled` is emitted whenever one comes back. Quitting
    waits for them (a change already sent must finish or be reported).
    """

    settled = Signal()

    def __init__(
        self,
        context: MainContext,
        selection: BatchSelection,
        model: BatchTableModel,
        data: WindowController,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context, self._selection, self._model, self._data = context, selection, model, data
        self.in_flight: dict[str, int] = {}  # what → how many sent and not yet answered

    def _sent(self, what: str) -> Callable[[], None]:
        """Count a change as in flight; the returned call marks its answer as arrived."""
        self.in_flight[what] = self.in_flight.get(what, 0) + 1
        answered: list[bool] = []

        def arrived() -> None:
            if answered:
                return
            answered.append(True)
            left = self.in_flight.get(what, 1) - 1
            if left > 0:
                self.in_flight[what] = left
            else:
                self.in_flight.pop(what, None)
            self.settled.emit()

        return arrived

    def _exec(self, dialog: QDialog) -> int:
        self._context.dialog_opened.emit(dialog)
        return int(dialog.exec())

    # batches
    def open_consume(self, batch: Batch | None = None) -> None:
        context = self._context
        batch = batch or self._selection.selected_batch()
        session = context.session
        if batch is None or session is None:
            return
        row = self._model.find(batch.code)
        why_not = why_not_consumable(row.status) if row is not None else None
        if why_not is not None:
            hint = _NEXT_STEP.get(row.status, "") if row is not None else ""
            context.show_message(
                f"Batch {batch.code} {why_not}; nothing can be consumed.{hint}", 8_000
            )
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog

        dialog = ConsumeDialog(batch, session, context.runner, context.dialog_parent)
        dialog.batch_changed.connect(lambda changed: self._data.apply_changes([changed]))
        self._exec(dialog)
        dialog.deleteLater()

    # the lifecycle: QA, hold, release, recall, write-offs, reversals
    def _lifecycle_calls(self) -> LifecycleCalls | None:
        session = self._context.session
        if session is None:
            return None
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.session_calls import SessionCalls

        return SessionCalls(session)

    def _run_change(self, dialog: ChangeDialog) -> int:
        """Open a lifecycle dialog; every state it learns (done or conflict) reaches the table."""
        dialog.batch_changed.connect(lambda changed: self._data.apply_changes([changed]))
        row = self._model.find(dialog.loaded.code)
        if row is not None and row.batch.version == dialog.loaded.version:
            dialog.show_status(row.status.label)  # with the expiry the dialog cannot judge
        answer = self._exec(dialog)
        dialog.deleteLater()
        return answer

    def open_qa(self, batch: Batch | None = None) -> None:
        batch = batch or self._selection.selected_batch()
        calls, session = self._lifecycle_calls(), self._context.session
        if batch is None or calls is None or session is None:
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.qa_dialog import QaDialog

        context = self._context
        dialog = QaDialog(
            batch,
            context.settings,
            session.actor.operator,
            calls,
            context.runner,
            context.dialog_parent,
        )
        self._run_change(dialog)

    def _hold_change(self, change: HoldChange, batch: Batch | None = None) -> None:
        batch = batch or self._selection.selected_batch()
        calls = self._lifecycle_calls()
        if batch is None or calls is None:
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.hold_dialog import HoldDialog

        context = self._context
        dialog = HoldDialog(batch, change, calls, context.runner, context.dialog_parent)
        dialog.recalled.connect(self._show_recalled_orders)
        self._run_change(dialog)

    def hold_selected(self, batch: Batch | None = None) -> None:
        from dairy_desktop.ui.dialogs.hold_dialog import HoldChange  # start-up: when first used

        self._hold_change(HoldChange.HOLD, batch)

    def release_selected(self, batch: Batch | None = None) -> None:
        from dairy_desktop.ui.dialogs.hold_dialog import HoldChange  # start-up: when first used

        self._hold_change(HoldChange.RELEASE, batch)

    def recall_selected(self, batch: Batch | None = None) -> None:
        from dairy_desktop.ui.dialogs.hold_dialog import HoldChange  # start-up: when first used

        self._hold_change(HoldChange.RECALL, batch)

    def _show_recalled_orders(self, recalled: Recalled) -> None:
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.recalled_orders import RecalledOrdersDialog

        dialog = RecalledOrdersDialog(recalled, self._context.dialog_parent)
        self._exec(dialog)
        dialog.deleteLater()

    def open_dispose(self, batch: Batch | None = None) -> None:
        batch = batch or self._selection.selected_batch()
        calls = self._lifecycle_calls()
        if batch is None or calls is None:
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.dispose_dialog import DisposeDialog

        row = self._model.find(batch.code)
        expired = row is not None and row.status is BatchStatus.EXPIRED
        context = self._context
        dialog = DisposeDialog(batch, calls, context.runner, context.dialog_parent, expired=expired)
        self._run_change(dialog)

    def open_reverse(self, event: AuditEvent) -> None:
        calls = self._lifecycle_calls()
        row = self._model.find(event.batch_code)
        if calls is None or row is None:
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.reverse_dialog import ReverseDialog

        context = self._context
        dialog = ReverseDialog(row.batch, event, calls, context.runner, context.dialog_parent)
        self._run_change(dialog)

    def open_register(self) -> None:
        context = self._context
        if context.session is None:
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog

        dialog = RegisterDialog(
            context.settings, context.session, context.runner, context.dialog_parent
        )
        dialog.registered.connect(self._registered)
        self._exec(dialog)
        dialog.deleteLater()

    def _registered(self, result: Registered) -> None:
        self._data.apply_changes([result.batch])
        self._selection.select_code(result.batch.code)
        for warning in result.warnings:
            QMessageBox.warning(self._context.dialog_parent, "Registered — note", warning)

    def _change_deleted(self, *, delete: bool) -> None:
        batch, session = self._selection.selected_batch(), self._context.session
        if batch is None or session is None:
            return
        # start-up: loaded when first opened
        from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog

        dialog = ReasonDialog(batch, delete=delete, parent=self._context.dialog_parent)
        if self._exec(dialog) != QDialog.DialogCode.Accepted:
            return
        reason, code, version = dialog.reason_text(), batch.code, batch.version
        change = session.delete if delete else session.restore
        # One request id for this confirmed reason: a retry re-sends it, so a change whose
        # reply was lost is not made twice.
        request_id = new_request_id()
        verb = "delete" if delete else "restore"

        def send() -> None:
            arrived = self._sent(f"the {verb} of {code}")

            def done(changed: Batch) -> None:
                arrived()
                self._data.apply_changes([changed])

            def failed(error: BaseException) -> None:
                arrived()
                if may_have_landed(error) and self._retry_wanted(error, f"the {verb} of {code}"):
                    send()
                else:
                    self._change_failed(error)

            self._context.runner.run(
                lambda: change(code, reason, version, request_id), done, failed
            )

        send()

    def delete_selected(self) -> None:
        self._change_deleted(delete=True)

    def restore_selected(self) -> None:
        self._change_deleted(delete=False)

    def _retry_wanted(self, error: BaseException, what: str) -> bool:
        answer = QMessageBox.question(
            self._context.dialog_parent,
            "Not confirmed",
            f"{error}\n\nSend {what} again? It is recorded once, however often it is sent.",
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Retry,
        )
        return answer == QMessageBox.StandardButton.Retry

    def _change_failed(self, error: BaseException) -> None:
        if isinstance(error, VersionConflict):
            self._data.apply_changes([error.current])
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        QMessageBox.warning(self._context.dialog_parent, "Not done", text)

    def load_sample_data(self) -> None:
        session = self._context.session
        if session is None:
            return
        # On first use, not at start: the sample-data service brings in the database layer.
        from dairy_desktop.services.sample_data import load_sample_data

        arrived = self._sent("loading the sample data")

        def done(_count: int) -> None:
            arrived()
            self._data.reload()

        def failed(error: BaseException) -> None:
            arrived()
            self._change_failed(error)

        self._context.runner.run(
            lambda: load_sample_data(session.database, session.actor.for_action()), done, failed
        )

    # windows and dialogs from the menus
    def open_audit(self) -> None:
        context = self._context
        if context.session is None:
            return
        # On first use, not at start: the audit window brings in the database layer.
        from dairy_desktop.ui.audit.window import AuditWindow

        window = AuditWindow(context.session, context.runner, context.dialog_parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        context.dialog_opened.emit(window)
        window.show()

    def open_settings(self) -> None:
        context = self._context
        # On first use, not at start: Test connection brings in the database layer.
        from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog

        in_use = self._data.operator
        dialog = SettingsDialog(
            context.session, context.runner, context.dialog_parent, operator_in_use=in_use
        )
        accepted = self._exec(dialog)
        if accepted and dialog.operator_changed:
            self._follow_saved_operator(in_use, dialog.saved_operator_before, dialog.operator)
        if accepted and dialog.database_url_changed:
            self._data.switch_database(dialog.new_database_url)
        else:
            self._data.reload()

    def _follow_saved_operator(self, in_use: str, before: str | None, saved: str | None) -> None:
        """A new name saved in Settings applies at once, unless the window was started with
        --operator or DAIRY_DESKTOP_OPERATOR, which outrank the saved name (as at start)."""
        if os.environ.get(OPERATOR_ENV, "").strip():
            return
        if in_use != (before or Actor().operator):
            return  # started with --operator: it stays in force until the app is restarted
        self._data.use_operator(make_actor(saved).operator)

    def show_about(self) -> None:
        from dairy_desktop.ui.dialogs.about import about_text  # start-up: loaded when first opened

        QMessageBox.about(
            self._context.dialog_parent, "About Dairy Desktop", about_text(self._context.session)
        )
