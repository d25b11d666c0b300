"""Delete or restore a batch: a reason is required, and the dialog is the confirmation.

Enter in the reason box confirms (the reason is one paragraph; a line break in it would only
break the audit listing's rows). With no reason yet, Enter says so and the dialog stays.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.text import MAX_REASON_LENGTH
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons
from dairy_desktop.ui.widgets.fit_height import keep_fitted
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.message_labels import field_error_label

# Wide enough for the title, the batch code in bold and a reason of a sentence or two.
MIN_WIDTH = 460


class ReasonEdit(QPlainTextEdit):
    """A wrapping text box whose Enter goes to the dialog (its default button) instead of
    starting a new line."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # passed on to the dialog, which presses its default button
            return
        super().keyPressEvent(event)


def one_paragraph(text: str) -> str:
    """A reason as stored: a pasted line break becomes a space."""
    lines = (line.strip() for line in text.splitlines())
    return " ".join(line for line in lines if line)


def reason_problem(text: str) -> str | None:
    if not text:
        return "A reason is required: say why, e.g. what the inspection found."
    if len(text) > MAX_REASON_LENGTH:
        return f"The reason is {len(text)} characters long; at most {MAX_REASON_LENGTH} are kept."
    return None


class ReasonDialog(QDialog):
    def __init__(self, batch: Batch, *, delete: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Short: window managers cut long titles; the code is in bold in the question.
        self.setWindowTitle("Delete batch" if delete else "Restore batch")
        self.setObjectName("deleteDialog" if delete else "restoreDialog")
        self.setMinimumWidth(MIN_WIDTH)
        self._shows_problem = False  # only once typed in, or after a confirm attempt
        layout = QVBoxLayout(self)
        question = (
            f"Delete batch <b>{batch.code}</b> ({format_decimal(batch.remaining_liters, 3)} L "
            "remaining)?<br>It disappears from the lists and cannot be consumed; it can be "
            "restored later from the deleted view."
            if delete
            else f"Restore batch <b>{batch.code}</b>? It returns to the lists and can be used again."
        )
        text = QLabel(question)
        text.setObjectName("question")
        text.setWordWrap(True)
        layout.addWidget(text)

        self.reason = ReasonEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(
            "e.g. failed the acidity test" if delete else "e.g. deleted by mistake"
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # label above the box
        # A form row makes the label the box's buddy: Alt+R lands in it and "&" is not shown.
        form.addRow("&Reason (required):", self.reason)
        layout.addLayout(form)
        self.problem = field_error_label("reasonError")
        layout.addWidget(self.problem)

        # "Res&tore": Alt+R is the reason's.
        self.buttons, self.ok_button = primary_buttons(self, "&Delete" if delete else "Res&tore")
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._edited)
        keep_fitted(self)  # room for the reason when it appears, no gap once it goes

    def _edited(self) -> None:
        self._shows_problem = True
        self._show_problem()

    def _show_problem(self) -> str | None:
        problem = reason_problem(self.reason_text())
        shown = problem if self._shows_problem else None
        self.problem.setText(f"⚠ {shown}" if shown else "")
        self.problem.setVisible(shown is not None)
        return problem

    def confirm(self) -> None:
        """The primary button and Enter: accept with a valid reason, else say why."""
        self._shows_problem = True
        if self._show_problem() is not None:
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.accept()

    def reason_text(self) -> str:
        """The reason as stored: a pasted line break becomes a space."""
        return one_paragraph(self.reason.toPlainText())
