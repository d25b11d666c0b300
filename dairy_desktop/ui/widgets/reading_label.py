"""The quiet "= 1,000.000 L" beside a number field: how the typed text was read."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def reading_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setMinimumWidth(120)
    return label
