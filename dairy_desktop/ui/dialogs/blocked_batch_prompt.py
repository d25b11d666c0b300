"""A scanned batch that must not be used: why, said where the operator is looking, and the
step that fits (release a hold; dispose of rejected or recalled milk).

The step only opens its own dialog, which asks for a reason (and the litres), so it can be
the default: a reflexive Enter changes nothing by itself.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.dialog_buttons import secondary_button
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.time_format import local_time_text

# The step offered for each blocked status, and its button's text.
NEXT_STEP = {
    BatchStatus.ON_HOLD: ("release", "Re&lease hold…"),
    BatchStatus.REJECTED: ("dispose", "Dis&pose…"),
    BatchStatus.RECALLED: ("dispose", "Dis&pose…"),
}


def blocked_text(batch: Batch, status: BatchStatus) -> str:
    why = why_not_consumable(status) or "cannot be used"
    since = ""
    if status is BatchStatus.ON_HOLD and batch.held_at is not None:
        since = f" since {local_time_text(batch.held_at)}"
    if status is BatchStatus.RECALLED and batch.recalled_at is not None:
        since = f" since {local_time_text(batch.recalled_at)}"
    advice = {
        BatchStatus.ON_HOLD: "It cannot be used until the hold is released.",
        BatchStatus.REJECTED: "Its milk can never be used: dispose of it as a rejected load.",
        BatchStatus.RECALLED: "A recall is final: keep the milk apart and dispose of it.",
    }.get(status, "")
    return (
        f"<b>Batch {batch.code} {why}{since}</b> (last changed by "
        f"{batch.updated_by or 'someone'} on {batch.updated_workstation or 'another PC'}).<br>"
        f"{advice} Do not use it."
    )


def _puts_in(status: BatchStatus, event: AuditEvent) -> bool:
    if status is BatchStatus.ON_HOLD:
        return event.action is AuditAction.HOLD
    if status is BatchStatus.RECALLED:
        return event.action is AuditAction.RECALL
    if status is BatchStatus.REJECTED:
        return event.action is AuditAction.QA and event.qa_result == "fail"
    return False


def blocking_event(status: BatchStatus, history: list[AuditEvent]) -> AuditEvent | None:
    """The event that put the batch in this status: the last hold, recall or failed test."""
    return next((e for e in reversed(history) if _puts_in(status, e)), None)


def reason_line(event: AuditEvent) -> str:
    if event.action is AuditAction.QA:
        why = f"{event.qa_test} failed (analyst {event.qa_analyst or event.operator})"
        if event.reason:
            why += f": {event.reason}"
    else:
        why = event.reason or "no reason given"
    return (
        f"Why: <b>{why}</b> — {event.operator} on {event.workstation}, {local_time_text(event.at)}."
    )


class BlockedBatchPrompt(QDialog):
    """After exec(): `chosen` is the step's name ("release", "dispose") or None (Close).

    `history` (run through `runner`) reads the batch's audit trail, so the prompt can say
    why it was held, recalled or rejected; without it the prompt says what the batch tells."""

    def __init__(
        self,
        batch: Batch,
        status: BatchStatus,
        parent: QWidget | None = None,
        *,
        history: Callable[[], list[AuditEvent]] | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Do not use — {batch.code}")
        self.setObjectName("blockedBatchPrompt")
        self.setMinimumWidth(460)
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        self.text = QLabel(blocked_text(batch, status))
        self.text.setObjectName("why")
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.hide()
        layout.addWidget(self.reason)
        layout.addStretch(1)  # the reason, when it arrives, sits right under the words
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        # Never the default just because it has focus: the step is the default.
        secondary_button(self.buttons.button(QDialogButtonBox.StandardButton.Close))
        self.step_button: QPushButton | None = None
        step = NEXT_STEP.get(status)
        if step is not None:
            name, text = step
            button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
            button.setDefault(True)
            button.clicked.connect(lambda: self._choose(name))
            self.step_button = button
        layout.addWidget(self.buttons)
        self._status = status
        if history is not None and runner is not None:
            runner.run(history, self._history_loaded, lambda _error: None)
        keep_fitted(self)

    def _history_loaded(self, history: list[AuditEvent]) -> None:
        if not shiboken6.isValid(self):
            return
        event = blocking_event(self._status, history)
        if event is not None:
            self.reason.setText(reason_line(event))
            self.reason.show()

    def _choose(self, name: str) -> None:
        self.chosen = name
        self.accept()
