"""A delivery about to be registered as a batch, and the refusal when its code is taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import DuplicateCode
from dairy_desktop.domain.liters import format_liters


@dataclass(frozen=True, slots=True)
class NewBatch:
    """Validated values of a batch not yet stored: it starts full, at version 1."""

    code: str
    received_at: datetime
    shelf_life_days: int
    expires_at: datetime
    initial_ml: int
    fat_centi: int | None


def duplicate_code(existing: Batch) -> DuplicateCode:
    """The refusal naming the batch that already has the code, so the operator can tell a
    delivery note entered twice from a mistyped code."""
    return DuplicateCode(
        f"Batch code {existing.code} is already registered (received "
        f"{existing.received_at:%Y-%m-%d %H:%M} UTC, {format_liters(existing.remaining_liters)} L "
        f"remaining{', deleted' if existing.is_deleted else ''}). Use a different code."
    )
