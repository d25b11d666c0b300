"""Plant settings: key/value rows every PC shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from dairy_desktop.db.models import PlantSettingRow
from dairy_desktop.db.repositories.notify import notify_change


class SettingsRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def all(self) -> dict[str, str]:
        rows = self._connection.execute(select(PlantSettingRow.key, PlantSettingRow.value))
        return {row.key: row.value for row in rows}

    def last_change(self) -> datetime | None:
        return self._connection.execute(select(func.max(PlantSettingRow.updated_at))).scalar_one()

    def put(self, key: str, value: str, *, at: datetime, by: str) -> None:
        values = {"value": value, "updated_at": at, "updated_by": by}
        changed = self._connection.execute(
            update(PlantSettingRow).where(PlantSettingRow.key == key).values(**values)
        )
        if changed.rowcount == 0:
            self._connection.execute(insert(PlantSettingRow).values(key=key, **values))
        notify_change(self._connection, "settings")
