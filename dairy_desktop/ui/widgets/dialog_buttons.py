"""One way to give a dialog its buttons: Enter does the primary action, Escape cancels.

Use::

    self.buttons, self.ok_button = primary_buttons(self, "&Register")
    self.buttons.accepted.connect(self.submit)   # the primary button (and Enter)
    self.buttons.rejected.connect(self.reject)   # Cancel (Escape calls reject() too)
    layout.addWidget(self.buttons)

    self.browse = secondary_button(QPushButton("&Browse…"))  # any other button in the dialog

``primary_buttons(dialog, primary_text, *, cancel_text=None)`` returns
``(QDialogButtonBox, primary QPushButton)``. The primary has the AcceptRole, the Cancel button
(``cancel_text`` replaces its text) the RejectRole; find Cancel with
``box.button(QDialogButtonBox.StandardButton.Cancel)``.

Rules the dialog keeps:

* Never disable the primary button because the form is invalid. Its slot checks the form and,
  if it is invalid, shows every reason and focuses the first bad field. Enter on a disabled
  default button does nothing at all, which looks like a broken keyboard. Disabling it while
  a submit is in flight is fine.
* Any other push button in the dialog goes through ``secondary_button`` so it never becomes
  the default (and never takes Enter) just because it once had focus.

Why the dialog must be passed: ``QPushButton.setDefault(True)`` registers the button as the
dialog's *main* default only if the button already lives inside the QDialog. Called on a
button box that is not yet in the dialog (the usual "create, set default, add to layout
later" order) the dialog has no main default. The first autoDefault button to get focus (for
example Cancel, reached with Tab) then becomes the main default for good: Enter from any
field presses Cancel, the dialog closes, nothing is saved, and Cancel is drawn as the default.
Here the box is created with the dialog as parent, and Cancel is not autoDefault, so it can
never take the default.

A focused button still answers Enter by pressing itself (Tab to Cancel, Enter cancels), as
it does everywhere else on the desktop; only the default frame stays on the primary.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterPressesFocusedButton(QObject):
    """A non-autoDefault button ignores Enter even when it has focus; this presses it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QPushButton)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in _ENTER_KEYS
            and not event.isAutoRepeat()
            and watched.hasFocus()
        ):
            if watched.isEnabled():
                watched.click()
            return True
        return False


def secondary_button(button: QPushButton) -> QPushButton:
    """Never the default, never Enter's target unless it has focus itself; returns it."""
    button.setAutoDefault(False)
    button.setDefault(False)
    button.installEventFilter(_EnterPressesFocusedButton(button))
    return button


def primary_buttons(
    dialog: QDialog, primary_text: str, *, cancel_text: str | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's button row: the primary (default, Enter) and Cancel (Escape)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, dialog)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    if cancel_text is not None:
        cancel.setText(cancel_text)
    secondary_button(cancel)
    primary = box.addButton(primary_text, QDialogButtonBox.ButtonRole.AcceptRole)
    primary.setAutoDefault(True)
    primary.setDefault(True)  # the box is already inside the dialog: this is its main default
    return box, primary
