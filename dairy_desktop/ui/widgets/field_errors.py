"""Each field's reason, shown once the field was edited or a submit was attempted.

A dialog that opens covered in red ("code is missing", "litres are missing") before the
operator typed anything reads as a scolding, not help. So a field's reason stays hidden until
that field changed (typed, pasted, or filled in from a scan), or until the operator pressed
the primary button: then every reason shows and the first bad field gets the focus.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QLineEdit, QWidget


class FieldErrors:
    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._touched: set[str] = set()
        self._attempted = False

    def add(self, key: str, widget: QWidget, label: QLabel) -> None:
        """Fields are checked for focus in the order they are added (the form's order)."""
        self._fields[key] = (widget, label)

    def label(self, key: str) -> QLabel:
        return self._fields[key][1]

    def labels(self) -> dict[str, QLabel]:
        return {key: label for key, (_widget, label) in self._fields.items()}

    def touch(self, key: str) -> None:
        self._touched.add(key)

    def is_shown(self, key: str) -> bool:
        return self._attempted or key in self._touched

    def show(self, problems: Mapping[str, str]) -> None:
        for key, (_widget, label) in self._fields.items():
            reason = problems.get(key, "") if self.is_shown(key) else ""
            label.setText(reason)
            label.setVisible(bool(reason))

    def show_one(self, key: str, reason: str) -> None:
        """A reason that came from elsewhere (the database) for one field."""
        self.touch(key)
        label = self.label(key)
        label.setText(reason)
        label.setVisible(bool(reason))

    def attempt(self, problems: Mapping[str, str]) -> bool:
        """The operator pressed submit: show every reason, focus the first bad field.

        Returns True when there is nothing to show (the form may be sent).
        """
        self._attempted = True
        self.show(problems)
        for key, (widget, _label) in self._fields.items():
            if key in problems:
                _focus(widget)
                break
        return not problems


def _focus(widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        widget.selectAll()  # typing replaces the bad value
