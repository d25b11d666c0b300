"""Why a conditional UPDATE matched no row, told as a specific refusal."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchExpired,
    DairyError,
    NotEnoughLeft,
    NotFound,
    VersionConflict,
)
from dairy_desktop.domain.liters import format_liters


def not_found(code: str) -> NotFound:
    return NotFound(f"No batch with code {code!r}. Check the code, or register the delivery first.")


def missing_or_stale(
    current: Batch | None, code: str, expected_version: int | None
) -> DairyError | None:
    """The refusals every guarded change shares: no such batch, or not the version seen."""
    if current is None:
        return not_found(code)
    if expected_version is not None and current.version != expected_version:
        return VersionConflict(expected_version, current)
    return None


def refusal_for_consume(
    current: Batch | None,
    code: str,
    *,
    liters: Decimal,
    expected_version: int | None,
    now: datetime,
) -> DairyError:
    """Explain a refused consume from the batch as it is now (read in the same transaction)."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    if current.is_deleted:
        return BatchDeleted(
            f"Batch {code} is deleted; nothing can be consumed from it. Restore it first if "
            "it was deleted by mistake."
        )
    if current.expires_at <= now:
        return BatchExpired(
            f"Batch {code} expired at {current.expires_at:%Y-%m-%d %H:%M} UTC; expired milk "
            "cannot be used for production. Discard it and delete the batch."
        )
    return NotEnoughLeft(
        f"Cannot take {format_liters(liters)} L from batch {code}: only "
        f"{format_liters(current.remaining_liters)} L remain. Nothing was consumed."
    )
