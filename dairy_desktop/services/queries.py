"""Reading batches: lists with their status, one batch, near-expiry planning list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc, start_of_local_day, utc_now
from dairy_desktop.domain.settings import PlantSettings, validate_near_expiry_days
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import not_found


@dataclass(frozen=True)
class BatchListing:
    """Batches with everything needed to show their status consistently."""

    batches: list[Batch]
    settings: PlantSettings
    as_of: datetime
    change_token: int

    def status_of(self, batch: Batch, near_expiry_days: int | None = None) -> BatchStatus:
        days = self.settings.near_expiry_days if near_expiry_days is None else near_expiry_days
        return batch.status(self.as_of, self.settings.zone, days)


def list_batches(
    database: Database,
    *,
    include_deleted: bool = False,
    status: BatchStatus | None = None,
    now: datetime | None = None,
    limit: int | None = None,
) -> BatchListing:
    """Batches first-expiring first; `limit` gives just the first ones (a quick first screen)."""
    now = as_utc(now) if now else utc_now()
    with database.unit_of_work() as uow:
        settings = settings_from(uow.settings.all())
        token = uow.audit.last_id()
        batches = uow.batches.by_expiry(
            include_deleted=include_deleted or status == "deleted", limit=limit
        )
    listing = BatchListing(batches, settings, now, token)
    if status is not None:
        batches = [b for b in batches if listing.status_of(b) == status]
        listing = BatchListing(batches, settings, now, token)
    return listing


def get_batch(database: Database, code: str) -> Batch:
    with database.unit_of_work() as uow:
        batch = uow.batches.get_by_code(code.strip())
    if batch is None:
        raise not_found(code)
    return batch


def near_expiry(
    database: Database, *, days: int | None = None, now: datetime | None = None
) -> BatchListing:
    """Usable batches (not deleted, not empty, not yet expired) expiring by the end of the
    Nth local day after today, first-expiring first: the production planning list."""
    now = as_utc(now) if now else utc_now()
    with database.unit_of_work() as uow:
        settings = settings_from(uow.settings.all())
        horizon_days = settings.near_expiry_days if days is None else days
        horizon_days = validate_near_expiry_days(horizon_days)
        horizon = start_of_local_day(now, settings.zone, plus_days=1 + horizon_days)
        token = uow.audit.last_id()
        batches = uow.batches.usable_expiring_before(horizon, now=now)
    return BatchListing(batches, settings, now, token)


def change_token(database: Database) -> tuple[int, str]:
    """Cheap "has anything changed?" check: every batch change writes an audit event, and
    every settings change stamps its row."""
    with database.unit_of_work() as uow:
        last_setting = uow.settings.last_change()
        return uow.audit.last_id(), last_setting.isoformat() if last_setting else ""
