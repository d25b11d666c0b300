"""Register a milk delivery as a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import (
    MAX_RECEIVED_AHEAD,
    Batch,
    compute_expiry,
    validate_shelf_life_days,
)
from dairy_desktop.domain.clock import as_utc, parse_instant, utc_now
from dairy_desktop.domain.codes import validate_batch_code
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.fat import parse_fat_percent, to_centi
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.domain.new_batch import NewBatch, duplicate_code
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database


@dataclass(frozen=True)
class Registered:
    batch: Batch
    warnings: list[str] = field(default_factory=list)


@logged_action("register")
def register_batch(
    database: Database,
    *,
    code: str,
    liters: str | Decimal,
    shelf_life_days: int | str,
    actor: Actor,
    received_at: datetime | str | None = None,
    fat_percent: str | Decimal | None = None,
    now: datetime | None = None,
) -> Registered:
    now = as_utc(now) if now else utc_now()
    amount = parse_liters(liters)
    days = validate_shelf_life_days(shelf_life_days)
    fat = parse_fat_percent(fat_percent)
    with database.unit_of_work(write=True) as uow:
        settings = settings_from(uow.settings.all())
        clean_code = validate_batch_code(code, settings.code_pattern)
        if received_at is None:
            received = now
        elif isinstance(received_at, str):
            received = parse_instant(received_at, settings.zone)
        else:
            received = as_utc(received_at)
        if received > now + MAX_RECEIVED_AHEAD:
            raise InvalidInput(
                f"Received time {received:%Y-%m-%d %H:%M} UTC is in the future; a delivery "
                "cannot be registered before it arrives (check the PC's clock).",
                field="received",
            )
        # Checked first for a clear refusal without a failed INSERT; a PC registering the
        # same code meanwhile is refused by the database, and add() says so the same way.
        existing = uow.batches.get_by_code(clean_code)
        if existing is not None:
            raise duplicate_code(existing)
        expires = compute_expiry(received, days)
        milliliters = to_milliliters(amount)
        new = NewBatch(clean_code, received, days, expires, milliliters, to_centi(fat))
        stamp = actor.stamp(now)
        batch = uow.batches.add(new, stamp)
        uow.audit.add(batch, AuditAction.REGISTER, stamp, liters_ml=milliliters)
        uow.commit()
    warnings = []
    if expires <= now:
        warnings.append(
            f"Batch {clean_code} was already expired when registered (expired "
            f"{expires:%Y-%m-%d %H:%M} UTC); it is on record but cannot be consumed."
        )
    return Registered(batch, warnings)
