"""Reverse one consume or dispose event: the litres go back, with a reason.

The original event is never edited; a new `reverse` event points at it, and the history
shows the original as reversed. The change is versioned against the batch as the details
pane showed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import LifecycleCalls
from dairy_desktop.ui.dialogs.reason_dialog import ReasonEdit, one_paragraph, reason_problem
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.time_format import local_time_text


def describe_event(event: AuditEvent) -> str:
    """e.g. 'the consume of 12.500 L for ORDER-… on 2025-12-04 09:12 by maria (PC-1)'."""
    liters = event.liters
    amount = "" if liters is None else f" of <b>{format_decimal(liters, 3)} L</b>"
    order = f" for order {event.order_id}" if event.order_id else ""
    why = (
        f" ({event.reason_code})"
        if event.action is AuditAction.DISPOSE and event.reason_code
        else ""
    )
    return (
        f"the {event.action.value}{amount}{order}{why} on {local_time_text(event.at)} by "
        f"{event.operator} ({event.workstation}), event #{event.id}"
    )


class ReverseDialog(ChangeDialog):
    def __init__(
        self,
        batch: Batch,
        event: AuditEvent,
        calls: LifecycleCalls,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(batch, runner, parent)
        self._calls, self.original = calls, event
        self.setObjectName("reverseDialog")
        self.question = QLabel(
            f"Reverse {describe_event(event)}?<br>The litres go back to the batch. The "
            "original stays in the history, marked reversed; a reversal cannot be reversed."
        )
        self.question.setObjectName("question")
        self.question.setWordWrap(True)
        self.body.insertWidget(1, self.question)
        self.reason = ReasonEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("e.g. entered against the wrong batch")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.add_field("&Reason (required):", self.reason, "reason")
        self.reason.textChanged.connect(self.touched("reason"))
        self.finish("Re&verse")
        self.reason.setFocus()

    def show_loaded(self) -> None:
        self.setWindowTitle(f"Reverse — {self.loaded.code}")
        self.summary.setText(self.summary_line())

    def reason_text(self) -> str:
        return one_paragraph(self.reason.toPlainText())

    def problems(self) -> dict[str, str]:
        problem = reason_problem(self.reason_text())
        return {"reason": problem} if problem else {}

    def work(self, batch: Batch, request_id: str) -> Callable[[], Any]:
        calls, event_id, version, reason = (
            self._calls,
            self.original.id,
            batch.version,
            self.reason_text(),
        )
        return lambda: calls.reverse(
            event_id, reason, expected_version=version, request_id=request_id
        )
