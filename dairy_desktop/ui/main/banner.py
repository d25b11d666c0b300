"""A strip across the top of the window for trouble the operator must know about."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


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
        self.setAutoFillBackground(True)
        self.setStyleSheet(f"#{name} {{ background: #b71c1c; }} #{name} QLabel {{ color: white; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.text = QLabel()
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
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
