"""Waiting on dialogs the window deletes once they close."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget


def closed(widget: QWidget) -> bool:
    """True once the widget is hidden or already deleted.

    The window calls ``deleteLater`` on each dialog after it returns, and a busy machine can
    run that deferred delete between two polls of ``qtbot.waitUntil``; asking a deleted
    dialog ``isVisible()`` raises instead of answering.
    """
    return not shiboken6.isValid(widget) or not widget.isVisible()
