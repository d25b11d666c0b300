"""How dialogs say what is wrong: a reason beside a field, a banner for the whole; and a
warning, which is worth reading but refuses nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

_FIELD_STYLE = "color: #c62828;"
# Amber, bold: heed it, but the dialog still does what was asked.
WARNING_STYLE = "color: #8a4b00; font-weight: bold;"
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


def warning_label(name: str) -> QLabel:
    """Hidden until there is something to warn about (a warm load, a later-expiring batch
    chosen over an earlier one); then shows it in amber."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(WARNING_STYLE)
    label.hide()
    return label
