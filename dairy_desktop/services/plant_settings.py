"""Plant settings stored in the database so every PC sees the same ones."""

from __future__ import annotations

from dataclasses import asdict, fields

from dairy_desktop.config.pc_time_zone import pc_time_zone
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.settings import PlantSettings, validated_settings
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database


def settings_from(stored: dict[str, str]) -> PlantSettings:
    defaults = PlantSettings(time_zone=pc_time_zone())
    values = asdict(defaults)
    for spec in fields(PlantSettings):
        if spec.name in stored:
            values[spec.name] = _typed(stored[spec.name], values[spec.name])
    return PlantSettings(**values)


def _typed(raw: str, default: object) -> object:
    if isinstance(default, bool):  # before int: a bool is an int
        return raw.strip().lower() == "true"
    if isinstance(default, int):
        return int(raw)
    return raw


def _stored(value: object) -> str:
    """As the database keeps it; booleans as 'true'/'false', which migration 0005 and the
    PostgreSQL change functions read."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def get_plant_settings(database: Database) -> PlantSettings:
    with database.unit_of_work() as uow:
        return settings_from(uow.settings.all())


def update_plant_settings(database: Database, settings: PlantSettings, actor: Actor) -> None:
    validated_settings(settings)
    now = utc_now()
    with database.unit_of_work(write=True) as uow:
        for key, value in asdict(settings).items():
            uow.settings.put(key, _stored(value), at=now, by=actor.operator)
        uow.commit()
