"""Who changed which plant setting when, from what to what (`audit settings`).

The history is written by the database itself (triggers on plant_settings, migration 0004)
in the transaction that saves the settings, so no way of saving them can leave it out.
"""

from __future__ import annotations

from dairy_desktop.db.database import Database
from dairy_desktop.db.setting_changes_queries import setting_changes
from dairy_desktop.domain.setting_change import SettingChange


def settings_history(database: Database) -> list[SettingChange]:
    """Every plant-settings change, oldest first."""
    return setting_changes(database)
