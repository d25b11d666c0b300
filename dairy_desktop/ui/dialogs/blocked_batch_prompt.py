"""A scanned batch that must not be used: why, said where the operator is looking, and the
step that fits (release a hold; dispose of rejected or recalled milk).

The step only opens its own dialog, which asks for a reason (and the litres), so it can be
the default: a reflexive Enter changes nothing by itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.widgets.dialog_buttons import secondary_button
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


class BlockedBatchPrompt(QDialog):
    """After exec(): `chosen` is the step's name ("release", "dispose") or None (Close)."""

    def __init__(self, batch: Batch, status: BatchStatus, parent: QWidget | None = None) -> None:
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

    def _choose(self, name: str) -> None:
        self.chosen = name
        self.accept()
