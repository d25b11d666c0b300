"""Register a milk delivery as a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import (
    MAX_RECEIVED_AHEAD,
    Batch,
    compute_expiry,
    validate_shelf_life_days,
)
from dairy_desktop.domain.clock import as_utc, parse_instant, utc_now
from dairy_desktop.domain.codes import validate_batch_code
from dairy_desktop.domain.errors import DuplicateCode, InvalidInput
from dairy_desktop.domain.fat import parse_fat_percent, to_centi
from dairy_desktop.domain.liters import format_liters, parse_liters, to_milliliters
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.plant_settings import settings_from


@dataclass(frozen=True)
class Registered:
    batch: Batch
    warnings: list[str] = field(default_factory=list)


def _duplicate(existing: Batch) -> DuplicateCode:
    return DuplicateCode(
        f"Batch code {existing.code} is already registered (received "
        f"{existing.received_at:%Y-%m-%d %H:%M} UTC, {format_liters(existing.remaining_liters)} L "
        f"remaining{', deleted' if existing.is_deleted else ''}). Use a different code."
    )


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
        existing = uow.batches.get_by_code(clean_code)
        if existing is not None:
            raise _duplicate(existing)
        expires = compute_expiry(received, days)
        milliliters = to_milliliters(amount)
        try:
            batch = uow.batches.add(
                {
                    "code": clean_code,
                    "received_at": received,
                    "shelf_life_days": days,
                    "expires_at": expires,
                    "initial_ml": milliliters,
                    "remaining_ml": milliliters,
                    "fat_centi": to_centi(fat),
                    "version": 1,
                    "updated_at": now,
                    "updated_by": actor.operator,
                    "updated_workstation": actor.workstation,
                }
            )
        except IntegrityError:
            # Another PC registered the same code between our check and our insert.
            uow.restart()
            raced = uow.batches.get_by_code(clean_code)
            if raced is None:
                raise
            raise _duplicate(raced) from None
        uow.audit.add(
            batch,
            AuditAction.REGISTER,
            at=now,
            liters_ml=milliliters,
            operator=actor.operator,
            workstation=actor.workstation,
            correlation_id=actor.correlation_id,
        )
        uow.commit()
    warnings = []
    if expires <= now:
        warnings.append(
            f"Batch {clean_code} was already expired when registered (expired "
            f"{expires:%Y-%m-%d %H:%M} UTC); it is on record but cannot be consumed."
        )
    return Registered(batch, warnings)
