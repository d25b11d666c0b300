"""A strip across the top of the window for trouble the operator must know about."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

BANNER_RED = "#b71c1c"  # white on it is 6.6:1, readable at any size (WCAG AA)
BANNER_TEXT = "#ffffff"


class Banner(QWidget):
    """`action`: the text of its button (None: no button)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = "banner",
        action: str | None = "Retry now",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        # A plain QWidget subclass ignores a style sheet's background unless told to paint
        # it: without this the strip is the window's light grey under white text.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            f"#{name} {{ background: {BANNER_RED}; }}"
            f" #{name} QLabel {{ color: {BANNER_TEXT}; background: transparent; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.text = QLabel()
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.text, 1)
        self.retry = QPushButton(action or "")
        self.retry.setVisible(action is not None)
        layout.addWidget(self.retry)
        self.hide()

    def show_message(self, text: str) -> None:
        self.text.setText(text)
        self.show()

    def message(self) -> str:
        return self.text.text() if self.isVisible() else ""
