"""Delete or restore a batch: a reason is required, and the dialog is the confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.text import MAX_REASON_LENGTH
from dairy_desktop.ui.widgets.locale_decimal import format_decimal


class ReasonDialog(QDialog):
    def __init__(self, batch: Batch, *, delete: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        verb = "Delete" if delete else "Restore"
        self.setWindowTitle(f"{verb} batch — {batch.code}")
        self.setObjectName("deleteDialog" if delete else "restoreDialog")
        layout = QVBoxLayout(self)
        question = (
            f"Delete batch <b>{batch.code}</b> ({format_decimal(batch.remaining_liters, 3)} L "
            "remaining)?<br>It disappears from the lists and cannot be consumed; it can be "
            "restored later from the deleted view."
            if delete
            else f"Restore batch <b>{batch.code}</b>? It returns to the lists and can be used again."
        )
        text = QLabel(question)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(QLabel("&Reason (required):"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(
            "e.g. failed the acidity test" if delete else "e.g. deleted by mistake"
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        layout.addWidget(self.reason)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(f"&{verb}", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        text = self.reason.toPlainText().strip()
        problem = (
            "A reason is required."
            if not text
            else f"At most {MAX_REASON_LENGTH} characters."
            if len(text) > MAX_REASON_LENGTH
            else ""
        )
        self.problem.setText(problem)
        self.ok_button.setEnabled(not problem)

    def reason_text(self) -> str:
        return self.reason.toPlainText().strip()
