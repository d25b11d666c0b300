"""Opening the Trace view from the main window: for the selected batch, or empty (then an
order is typed or scanned into it). Kept apart so the main window imports nothing heavy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from dairy_desktop.services.session import AppSession
    from dairy_desktop.ui.tasks import TaskRunner
    from dairy_desktop.ui.trace.window import TraceWindow


class Opener(Protocol):
    """What the view needs of the window that opens it (the main window's MainContext has
    it; named here so this package does not import ui.main, which imports it)."""

    runner: TaskRunner

    @property
    def session(self) -> AppSession | None: ...

    @property
    def dialog_opened(self) -> SignalInstance: ...

    @property
    def dialog_parent(self) -> QWidget: ...


def open_trace(context: Opener, query: str | None = None) -> TraceWindow | None:
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
