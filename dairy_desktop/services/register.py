"""Register a milk delivery as a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import MAX_RECEIVED_AHEAD, Batch, validate_shelf_life_days
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, parse_instant, utc_now
from dairy_desktop.domain.codes import validate_batch_code
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.fat import parse_fat_percent, to_centi
from dairy_desktop.domain.intake import (
    DEFAULT_TEMPERATURE_LIMIT_DECI,
    format_temperature,
    intake,
    is_over_limit,
)
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.domain.new_batch import NewBatch, duplicate_code
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.plant_settings import get_plant_settings, settings_from
from dairy_desktop.services.ports import Database
from dairy_desktop.services.reused_request_id import same_change_or_refuse


@dataclass(frozen=True)
class Registered:
    batch: Batch
    warnings: list[str] = field(default_factory=list)


@logged_action("register")
def register_once(
    database: Database,
    *,
    code: str,
    liters: str | Decimal,
    shelf_life_days: int | str,
    actor: Actor,
    received_at: datetime | str | None = None,
    fat_percent: str | Decimal | None = None,
    supplier: str | None = None,
    tanker: str | None = None,
    seal: str | None = None,
    temperature: str | Decimal | None = None,
    now: datetime | None = None,
) -> Changed:
    """Register the delivery (received now unless `received_at` says when) with what the
    receiving bay recorded of it (supplier, tanker, seal, receipt temperature in °C, each
    optional). A request id already recorded changes nothing and gives the first result
    (replayed). On PostgreSQL "now" is the database server's clock. It starts awaiting QA
    while the plant requires a QA release. registration_warnings() tells what to point out."""
    now = as_utc(now) if now else utc_now()
    amount = parse_liters(liters)
    days = validate_shelf_life_days(shelf_life_days)
    fat = parse_fat_percent(fat_percent)
    arrival = intake(supplier=supplier, tanker=tanker, seal=seal, temperature=temperature)
    with database.unit_of_work(write=True, single_change=True) as uow:
        settings = settings_from(uow.settings.all())
        clean_code = validate_batch_code(code, settings.code_pattern)
        received: datetime | None
        if received_at is None:
            received = None
        elif isinstance(received_at, str):
            received = parse_instant(received_at, settings.zone)
        else:
            received = as_utc(received_at)
        if received is not None and received > now + MAX_RECEIVED_AHEAD:
            raise InvalidInput(
                f"Received time {received:%Y-%m-%d %H:%M} UTC is in the future; a delivery "
                "cannot be registered before it arrives (check the PC's clock).",
                field="received",
            )
        new = NewBatch.received(
            clean_code, received, days, to_milliliters(amount), to_centi(fat), arrival
        )
        # A code already taken (or taken by another PC a moment ago) stores nothing and
        # comes back as the batch holding it, for a clear refusal.
        outcome = uow.changes.register(new, actor.stamp(now))
        if isinstance(outcome, Refused):
            if outcome.current is None:
                raise RuntimeError(f"registering {new.code} was refused with no batch holding it")
            raise duplicate_code(outcome.current)
        uow.commit()
    return same_change_or_refuse(outcome, AuditAction.REGISTER, new.code, liters_ml=new.initial_ml)


def registration_warnings(
    changed: Changed, *, temperature_limit_deci: int = DEFAULT_TEMPERATURE_LIMIT_DECI
) -> list[str]:
    """What the operator should know about a registration that went through: milk already
    expired, or received warmer than the plant's limit (recorded all the same: QA decides)."""
    batch = changed.batch
    warnings = []
    if batch.expires_at <= changed.event.at:
        warnings.append(
            f"Batch {batch.code} was already expired when registered (expired "
            f"{batch.expires_at:%Y-%m-%d %H:%M} UTC); it is on record but cannot be consumed."
        )
    if batch.temperature_deci is not None and is_over_limit(
        batch.temperature_deci, temperature_limit_deci
    ):
        warnings.append(
            f"Batch {batch.code} was received at {format_temperature(batch.temperature_deci)} "
            f"°C, above the plant's limit of {format_temperature(temperature_limit_deci)} °C; "
            "it is recorded, and flagged for QA to judge."
        )
    return warnings


def temperature_limit(database: Database, batch: Batch) -> int:
    """The plant's receipt-temperature limit (tenths of °C), read only when the batch has a
    temperature to compare with it."""
    if batch.temperature_deci is None:
        return DEFAULT_TEMPERATURE_LIMIT_DECI
    return get_plant_settings(database).temperature_limit_deci


def register_batch(
    database: Database,
    *,
    code: str,
    liters: str | Decimal,
    shelf_life_days: int | str,
    actor: Actor,
    received_at: datetime | str | None = None,
    fat_percent: str | Decimal | None = None,
    supplier: str | None = None,
    tanker: str | None = None,
    seal: str | None = None,
    temperature: str | Decimal | None = None,
    now: datetime | None = None,
) -> Registered:
    changed = register_once(
        database,
        code=code,
        liters=liters,
        shelf_life_days=shelf_life_days,
        actor=actor,
        received_at=received_at,
        fat_percent=fat_percent,
        supplier=supplier,
        tanker=tanker,
        seal=seal,
        temperature=temperature,
        now=now,
    )
    limit = temperature_limit(database, changed.batch)
    return Registered(changed.batch, registration_warnings(changed, temperature_limit_deci=limit))
