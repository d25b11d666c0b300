"""Reads of plant_setting_changes, the history triggers keep of every plant-settings change."""

from __future__ import annotations

from sqlalchemy import BigInteger, String, Text, text

from dairy_desktop.db.database import Database
from dairy_desktop.db.types import UTCDateTime
from dairy_desktop.domain.setting_change import SettingChange

_HISTORY = text(
    "SELECT id, at, key, old_value, new_value, operator, db_user "
    "FROM plant_setting_changes ORDER BY id"
).columns(
    id=BigInteger(),
    at=UTCDateTime(),
    key=String(),
    old_value=Text(),
    new_value=Text(),
    operator=String(),
    db_user=String(),
)


def setting_changes(database: Database) -> list[SettingChange]:
    """Every recorded change, oldest first."""
    with database.unit_of_work() as uow:
        return [SettingChange(*row) for row in uow.connection.execute(_HISTORY)]
