"""A date-and-time editor that Tab leaves, like every other field.

QDateTimeEdit makes Tab walk through its sections (year, month, day, hour, minute) before it
lets the focus go, so an operator tabbing through a form gets stuck for five key presses in
the middle of it. Here Tab and Shift+Tab move to the next or previous field; the sections are
still reached with the arrow keys, by clicking, or by typing the full value.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDateTimeEdit, QWidget


class DateTimeField(QDateTimeEdit):
    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)
