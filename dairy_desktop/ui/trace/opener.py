"""Opening the Trace view from the main window: for the selected batch, or empty (then an
order is typed or scanned into it). Kept apart so the main window imports nothing heavy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from dairy_desktop.ui.main.context import MainContext
    from dairy_desktop.ui.trace.window import TraceWindow


def open_trace(context: MainContext, query: str | None = None) -> TraceWindow | None:
    """A new Trace window, tracing `query` (a batch code or order id) when given; None while
    the database is not connected."""
    session = context.session
    if session is None:
        return None
    # On first use, not at start: the trace brings in the database layer.
    from dairy_desktop.ui.trace.window import TraceWindow

    window = TraceWindow(session, context.runner, context.dialog_parent, query=query)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    context.dialog_opened.emit(window)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
