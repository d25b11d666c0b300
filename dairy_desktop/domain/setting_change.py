"""One change of a plant setting, as its append-only history records it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SettingChange:
    id: int
    at: datetime
    key: str
    old_value: str | None  # None: the setting had never been saved before
    new_value: str
    operator: str | None
    db_user: str | None  # the database login (PostgreSQL), None on SQLite
