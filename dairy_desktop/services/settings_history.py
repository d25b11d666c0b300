"""Who changed which plant setting when, from what to what (`audit settings`).

The history is written by the database itself (triggers on plant_settings, migration 0004)
in the transaction that saves the settings, so no way of saving them can leave it out.
"""

from __future__ import annotations

from dairy_desktop.db.database import Database as StoredDatabase
from dairy_desktop.db.setting_changes_queries import setting_changes
from dairy_desktop.domain.setting_change import SettingChange
from dairy_desktop.services.ports import Database


def settings_history(database: Database) -> list[SettingChange]:
    """Every plant-settings change, oldest first (kept by the stored database only)."""
    if not isinstance(database, StoredDatabase):
        raise TypeError(
            f"the settings history needs a stored database, not {type(database).__name__}"
        )
    return setting_changes(database)
