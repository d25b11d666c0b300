"""The two ways dialogs say what is wrong: a reason beside a field, a banner for the whole."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

_FIELD_STYLE = "color: #c62828;"
_BANNER_STYLE = (
    "color: palette(bright-text); background: #c62828; padding: 4px; border-radius: 3px;"
)


def field_error_label(name: str) -> QLabel:
    """Hidden until a field has a problem; then shows the exact reason beside it."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(_FIELD_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def message_banner() -> QLabel:
    """A red strip for a refusal that concerns the whole dialog (e.g. from the database)."""
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setStyleSheet(_BANNER_STYLE)
    label.hide()
    return label
