"""A delivery about to be registered as a batch, and the refusal when its code is taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.batch import Batch, compute_expiry
from dairy_desktop.domain.errors import DuplicateCode
from dairy_desktop.domain.intake import NO_INTAKE, Intake
from dairy_desktop.domain.liters import format_liters


@dataclass(frozen=True, slots=True)
class NewBatch:
    """Validated values of a batch not yet stored: it starts full, at version 1.

    `received_at` None means "now": the instant the database records it (on PostgreSQL the
    server's clock, in the statement that stores it); `expires_at` is then None too."""

    code: str
    received_at: datetime | None
    shelf_life_days: int
    expires_at: datetime | None
    initial_ml: int
    fat_centi: int | None
    intake: Intake = NO_INTAKE

    @classmethod
    def received(
        cls,
        code: str,
        received_at: datetime | None,
        shelf_life_days: int,
        initial_ml: int,
        fat_centi: int | None,
        intake: Intake = NO_INTAKE,
    ) -> NewBatch:
        expires = None if received_at is None else compute_expiry(received_at, shelf_life_days)
        return cls(code, received_at, shelf_life_days, expires, initial_ml, fat_centi, intake)

    def received_by(self, now: datetime) -> NewBatch:
        """These values with "now" (a received time left open) made `now`."""
        if self.received_at is not None:
            return self
        return NewBatch.received(
            self.code, now, self.shelf_life_days, self.initial_ml, self.fat_centi, self.intake
        )


def duplicate_code(existing: Batch) -> DuplicateCode:
    """The refusal naming the batch that already has the code, so the operator can tell a
    delivery note entered twice from a mistyped code."""
    return DuplicateCode(
        f"Batch code {existing.code} is already registered (received "
        f"{existing.received_at:%Y-%m-%d %H:%M} UTC, {format_liters(existing.remaining_liters)} L "
        f"remaining{', deleted' if existing.is_deleted else ''}). Use a different code."
    )
