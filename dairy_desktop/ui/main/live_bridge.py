"""Carry the listener thread's news into the GUI thread as Qt signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from dairy_desktop.services.live_updates import LiveUpdates
    from dairy_desktop.services.session import AppSession


class LiveBridge(QObject):
    """`changed` when another PC committed a change; `live` when push updates start/stop."""

    changed = Signal(str)
    live = Signal(bool)

    def __init__(self, session: AppSession) -> None:
        super().__init__()
        # Imported on first connect, not with the window: it brings in the database layer.
        from dairy_desktop.services.live_updates import start_live_updates

        # Emitting from the listener thread queues the call into this object's (GUI) thread.
        self._updates: LiveUpdates | None = start_live_updates(
            session.database, self.changed.emit, self.live.emit
        )

    @property
    def pushes(self) -> bool:
        return self._updates is not None

    def stop(self) -> None:
        if self._updates is not None:
            self._updates.stop()
            self._updates = None
