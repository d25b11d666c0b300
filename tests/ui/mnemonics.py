"""The Alt+letters a dialog offers, for the tests that keep each one unique per dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def mnemonics(dialog: QWidget) -> list[str]:
    """Each Alt+letter in the dialog: labels with a buddy and buttons. OK and Cancel count as
    Alt+O and Alt+C, which some desktops' themes give them."""
    texts = [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    for button in dialog.findChildren(QAbstractButton):
        text = button.text()
        texts.append("&" + text if text in ("OK", "Cancel") else text)
    found = []
    for text in texts:
        plain = text.replace("&&", "")
        at = plain.find("&")
        if at >= 0:
            found.append(plain[at + 1].lower())
    return found
