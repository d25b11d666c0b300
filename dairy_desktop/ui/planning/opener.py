"""View → Planning…: opens the Planning window; light to import, as the main window's
modules must be (the window module brings in the database layer on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from dairy_desktop.services.session import AppSession
    from dairy_desktop.ui.tasks import TaskRunner


class PlanningHost(Protocol):
    """What the Planning window needs of the main window (a part of ui.main's MainContext,
    restated here so this package does not import the main window's)."""

    runner: TaskRunner

    @property
    def session(self) -> AppSession | None: ...

    @property
    def dialog_opened(self) -> SignalInstance: ...

    @property
    def dialog_parent(self) -> QWidget: ...

    def show_message(self, text: str, timeout_ms: int = 0) -> None: ...


def open_planning(context: PlanningHost, changed: SignalInstance | None = None) -> None:
    """A new non-modal Planning window; `changed` (the main window's batches_changed) keeps
    it current. Nothing happens while not connected: the plan needs the database."""
    session = context.session
    if session is None:
        context.show_message("Not connected: the plan needs current data from the database.")
        return
    from dairy_desktop.ui.planning.window import PlanningWindow

    window = PlanningWindow(session, context.runner, context.dialog_parent, changed=changed)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    context.dialog_opened.emit(window)
    window.show()
