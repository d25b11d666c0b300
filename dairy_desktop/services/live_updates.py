"""Tell a window when another PC changed something.

PostgreSQL pushes committed changes (LISTEN/NOTIFY). SQLite has no push: the window's own
cheap change check every few seconds covers it, so there is nothing to start here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from dairy_desktop.db.database import Database


class LiveUpdates(Protocol):
    def stop(self) -> None: ...


def start_live_updates(
    database: Database, on_change: Callable[[str], None], on_live: Callable[[bool], None]
) -> LiveUpdates | None:
    """Start listening; None where the database cannot push (SQLite)."""
    if database.kind != "postgresql":
        return None
    from dairy_desktop.db.listener import ChangeListener

    listener = ChangeListener(
        database.engine.url.render_as_string(hide_password=False), on_change, on_live
    )
    listener.start()
    return listener
