"""What a new user sees on an empty database: how to start, and a way to see the colours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dairy_desktop.ui.widgets.dialog_buttons import secondary_button


class EmptyState(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h2>No batches yet</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel(
            "Register the first milk delivery, or load a sample set to see how batches are\n"
            "marked by their status (the sample batches can be deleted afterwards)."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.register_button = QPushButton("Register delivery…")
        self.register_button.setObjectName("emptyRegister")
        self.sample_button = QPushButton("Load sample data")
        self.sample_button.setObjectName("emptySample")
        for button in (self.register_button, self.sample_button):
            buttons.addWidget(secondary_button(button))  # Enter presses the focused one
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
