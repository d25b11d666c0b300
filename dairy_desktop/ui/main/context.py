"""What the main window's actions may use of it, and no more.

Printing, scan routing and the batch actions are handed an object of these shapes (the window
is one) instead of the window itself: they cannot reach into its widgets, and no module here
imports the window back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from dairy_desktop.domain.batch import Batch
    from dairy_desktop.domain.settings import PlantSettings
    from dairy_desktop.services.session import AppSession
    from dairy_desktop.ui.tasks import TaskRunner

MESSAGE_MS = 20_000  # how long an outcome (printed, exported, ...) stays in the status bar


class MainContext(Protocol):
    """The session (None while not connected), the plant's settings, where work runs, where
    messages go, and the announcement every dialog or window makes as it opens."""

    runner: TaskRunner  # read at each use: a caller may hand the window another runner

    @property
    def session(self) -> AppSession | None: ...

    @property
    def settings(self) -> PlantSettings: ...

    @property
    def dialog_opened(self) -> SignalInstance: ...

    @property
    def dialog_parent(self) -> QWidget: ...

    def show_message(self, text: str, timeout_ms: int = 0) -> None: ...

    def clear_message(self) -> None: ...


class BatchSelection(Protocol):
    """The batch the operator has selected, and a way to bring another one into view."""

    def selected_batch(self) -> Batch | None: ...

    def select_code(self, code: str, *, scroll: bool = True) -> bool: ...

    def reveal(self, code: str) -> None: ...
