"""A count of days: "1 day", "5 days", and, when asked, no value until one is chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

NOT_CHOSEN_TEXT = "choose…"


class DaySpinBox(QSpinBox):
    """`chosen()` is the number of days, or None while the box shows "choose…".

    `clear_choice()` puts it in that state (one below the smallest real value, shown as
    "choose…"): for when any number filled in would be a guess the operator might not see.
    """

    def __init__(self, minimum: int, maximum: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._minimum = minimum
        self.setRange(minimum, maximum)
        self.valueChanged.connect(self._name_unit)
        self._name_unit(self.value())

    def clear_choice(self) -> None:
        self.setSpecialValueText(NOT_CHOSEN_TEXT)
        self.setMinimum(self._minimum - 1)
        self.setValue(self._minimum - 1)

    def choose(self, days: int) -> None:
        """Set a real value (clamped to the range); "choose…" is no longer offered."""
        self.setValue(max(self._minimum, min(self.maximum(), days)))
        self.setMinimum(self._minimum)
        self.setSpecialValueText("")

    def chosen(self) -> int | None:
        value = self.value()
        return None if value < self._minimum else value

    def _name_unit(self, value: int) -> None:
        self.setSuffix(" day" if value == 1 else " days")
