"""The outcome of one change to a batch: what it left, its audit event, and whether it was
only replayed (its request id was already stored, so nothing was changed this time)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch


@dataclass(frozen=True, slots=True)
class Changed:
    batch: Batch
    event: AuditEvent
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Refused:
    """A guarded change matched nothing: the batch as it is now (None: no such code) and the
    instant the guard was checked at (the database server's clock on PostgreSQL), from which
    the services explain why."""

    current: Batch | None
    at: datetime


def batch_after(event: AuditEvent, current: Batch) -> Batch:
    """The batch as `event` left it, rebuilt from the event and the batch's fields that no
    change touches: what a replayed change returns, exactly the first result."""
    if event.action is AuditAction.DELETE:
        deleted_at: datetime | None = event.at
    else:
        # Register, consume and restore all leave (or need) a batch that is not deleted.
        deleted_at = None
    return dataclasses.replace(
        current,
        remaining_ml=event.remaining_after_ml,
        version=event.version_after,
        deleted_at=deleted_at,
        updated_at=event.at,
        updated_by=event.operator,
        updated_workstation=event.workstation,
    )
