"""Tell a window when another PC changed something.

PostgreSQL pushes committed changes (LISTEN/NOTIFY). SQLite has no push: the window's own
cheap change check every few seconds covers it, so there is nothing to start here.
"""

from __future__ import annotations

from collections.abc import Callable

from dairy_desktop.services.ports import Database, LiveUpdates

__all__ = ["LiveUpdates", "start_live_updates"]


def start_live_updates(
    database: Database, on_change: Callable[[str], None], on_live: Callable[[bool], None]
) -> LiveUpdates | None:
    """Start listening; None where the database cannot push (SQLite)."""
    return database.start_listening(on_change, on_live)
