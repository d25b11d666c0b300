"""A dialog that sends one change to the database and must not close while it is on its way."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QWidget


class SendingDialog(QDialog):
    """Escape, Cancel and the close button wait while a change is being sent: closed then,
    the dialog would look cancelled while the change may still be recorded.

    Subclasses set `_sending` around their submit and give the `message` banner the note
    goes into.
    """

    message: QLabel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sending = False  # a submit is on its way to the database

    def reject(self) -> None:
        if self._sending:
            self.message.setText(
                "The change is being sent; this dialog closes by itself when the database answers."
            )
            self.message.show()
            return
        super().reject()
