"""The prompt shown when a batch changed on another PC while a dialog on it was open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.batch import Batch
from dairy_desktop.ui.dialogs.batch_state_text import lifecycle_word
from dairy_desktop.ui.widgets.dialog_buttons import primary_buttons
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.time_format import local_time_text


class ConflictPrompt(QDialog):
    """Shows the batch as the dialog loaded it and as it is now; Reload or Cancel."""

    def __init__(self, loaded: Batch, current: Batch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Short: window managers cut long titles; the code is in the headline.
        self.setWindowTitle("Batch changed")
        self.setObjectName("conflictPrompt")
        self.current = current
        layout = QVBoxLayout(self)
        headline = QLabel(
            f"<b>Batch {current.code} was changed on another PC since you opened this dialog.</b>"
            "<br>Nothing you entered was saved. Reload to see the current state and check "
            "your entry before submitting again."
        )
        headline.setWordWrap(True)
        layout.addWidget(headline)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        rows = [
            ("", "When you opened it", "Now"),
            (
                "Remaining",
                format_decimal(loaded.remaining_liters, 3) + " L",
                format_decimal(current.remaining_liters, 3) + " L",
            ),
            ("Version", str(loaded.version), str(current.version)),
            ("Status", lifecycle_word(loaded), lifecycle_word(current)),
            ("Changed by", loaded.updated_by or "—", current.updated_by or "—"),
            ("On PC", loaded.updated_workstation or "—", current.updated_workstation or "—"),
            ("At", local_time_text(loaded.updated_at), local_time_text(current.updated_at)),
        ]
        for r, cells in enumerate(rows):
            changed = r > 0 and cells[1] != cells[2]
            for c, text in enumerate(cells):
                label = QLabel(f"<b>{text}</b>" if r == 0 or c == 0 else text)
                if changed and c == 2:  # what moved since the dialog opened stands out
                    label.setText(f"<b>{text}</b> ◀ changed")
                    label.setStyleSheet("color: #b23c00;")
                label.setObjectName(f"cell_{r}_{c}")
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, r, c)
        layout.addLayout(grid)

        self.buttons, self.reload_button = primary_buttons(self, "&Reload")
        self.cancel_button = self.buttons.button(self.buttons.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def cell_text(self, row: int, column: int) -> str:
        label = self.findChild(QLabel, f"cell_{row}_{column}")
        return label.text() if label else ""
