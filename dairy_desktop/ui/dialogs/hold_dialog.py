"""Hold, release or recall a batch: each with a required reason, each versioned.

A hold stops use until a release; a recall is final, so it asks once more before it is sent,
and its answer (the orders that used the milk) is handed on with `recalled`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import LifecycleCalls, Recalled
from dairy_desktop.ui.dialogs.reason_dialog import ReasonEdit, one_paragraph, reason_problem
from dairy_desktop.ui.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class _Wording:
    title: str
    name: str
    question: str  # {code} is filled in
    placeholder: str
    primary: str


class HoldChange(Enum):
    HOLD = _Wording(
        "Hold batch",
        "holdDialog",
        "Put batch <b>{code}</b> on hold? It cannot be consumed until it is released.",
        "e.g. supplier reported a treated cow in this load",
        "&Hold",
    )
    RELEASE = _Wording(
        "Release hold",
        "releaseDialog",
        "Lift the hold on batch <b>{code}</b>? It can be used again once QA has released "
        "it, while it has not expired.",
        "e.g. supplier confirmed the load was not affected",
        "Re&lease",
    )
    RECALL = _Wording(
        "Recall batch",
        "recallDialog",
        "Recall batch <b>{code}</b>? <b>A recall is final</b>: the batch can never be used "
        "again. The orders that used its milk are listed next.",
        "e.g. supplier notice 2025-117: antibiotic residue",
        "Rec&all",
    )


class HoldDialog(ChangeDialog):
    """`recalled(Recalled)` once a recall is recorded: the orders to trace;
    `confirm_shown(QMessageBox)` as the recall's last question opens."""

    recalled = Signal(object)
    confirm_shown = Signal(object)

    def __init__(
        self,
        batch: Batch,
        change: HoldChange,
        calls: LifecycleCalls,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(batch, runner, parent)
        self._change, self._calls = change, calls
        wording = change.value
        self.setWindowTitle(wording.title)
        self.setObjectName(wording.name)
        self.question = QLabel()
        self.question.setObjectName("question")
        self.question.setWordWrap(True)
        self.body.insertWidget(1, self.question)
        self.reason = ReasonEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(wording.placeholder)
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.add_field("&Reason (required):", self.reason, "reason")
        self.reason.textChanged.connect(self.touched("reason"))
        self.finish(wording.primary)
        self.reason.setFocus()

    def show_loaded(self) -> None:
        self.summary.setText(self.summary_line())
        self.question.setText(self._change.value.question.format(code=self.loaded.code))

    def reload_with(self, current: Batch) -> None:
        super().reload_with(current)
        moot = self._moot(current)
        if moot:
            who = f"{current.updated_by or 'someone'} on {current.updated_workstation or 'another PC'}"
            self.show_message(f"Batch {current.code} {moot} (last changed by {who}).")

    def _moot(self, current: Batch) -> str | None:
        """Why this change no longer applies to the batch as it is now (the database would
        refuse it), or None."""
        if current.is_recalled:
            return "is recalled: a recall is final, nothing more can be changed"
        if self._change is HoldChange.HOLD and current.is_held:
            return "is on hold already"
        if self._change is HoldChange.HOLD and current.is_deleted:
            return "is deleted: it cannot be put on hold"
        if self._change is HoldChange.RELEASE and not current.is_held:
            return "is not on hold any more: there is nothing to release"
        return None

    def reason_text(self) -> str:
        return one_paragraph(self.reason.toPlainText())

    def problems(self) -> dict[str, str]:
        problem = reason_problem(self.reason_text())
        return {"reason": problem} if problem else {}

    def confirmed(self) -> bool:
        if self._change is not HoldChange.RECALL:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Recall for good?",
            f"Recall batch {self.loaded.code} for good? This cannot be undone: the batch "
            "will never be consumable again.",
            parent=self,
        )
        box.setObjectName("recallConfirm")
        recall = box.addButton("&Recall for good", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Back", QMessageBox.ButtonRole.RejectRole)
        # A reflexive second Enter must not make a final change: Enter goes back.
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        self.confirm_shown.emit(box)
        box.exec()
        return box.clickedButton() is recall

    def work(self, batch: Batch, request_id: str) -> Callable[[], Any]:
        calls, code, version, reason = self._calls, batch.code, batch.version, self.reason_text()
        change = {
            HoldChange.HOLD: calls.hold,
            HoldChange.RELEASE: calls.release,
            HoldChange.RECALL: calls.recall,
        }[self._change]
        return lambda: change(code, reason, expected_version=version, request_id=request_id)

    def batch_of(self, outcome: Any) -> Batch:
        return outcome.batch if isinstance(outcome, Recalled) else super().batch_of(outcome)

    def after_success(self, outcome: Any) -> None:
        self.accept()
        if isinstance(outcome, Recalled):
            self.recalled.emit(outcome)
