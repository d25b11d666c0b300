"""Keep a dialog as tall as its content when reasons appear or go away.

A reason beside a field wraps onto several lines; a dialog keeps the size it was shown at,
so without this the new lines are cut off (the operator reads half a sentence) or, once the
reason is gone, a gap is left where it was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


def fit_height(window: QWidget) -> None:
    """Resize `window` (keeping its width) to the height its layout needs now."""
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    width = window.width()
    needed = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    needed = max(needed, layout.totalMinimumSize().height())
    if needed != window.height():
        window.resize(width, needed)


class _Refit(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._pending = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A child shown, hidden or given new text asks the window to lay out again.
        if event.type() == QEvent.Type.LayoutRequest and not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._refit)  # dropped if the window goes first
        return False

    def _refit(self) -> None:
        self._pending = False
        fit_height(self._window)


def keep_fitted(window: QWidget) -> None:
    """From now on, `window` follows its content's height (see module docstring)."""
    window.installEventFilter(_Refit(window))
