"""Why a guarded change matched no row, told as a specific refusal.

The database guard decided; these only explain, from the batch as it is now (read in the
same transaction), in the words of domain.allowances: what the batch's status allows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from dairy_desktop.domain.allowances import allowance, why_not_consumable
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchExpired,
    BatchNotDeleted,
    DairyError,
    NotEnoughLeft,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.domain.status import BatchStatus


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


def _status(batch: Batch, now: datetime) -> BatchStatus:
    # The plant's zone only places the expiry bands, and every band allows the same.
    return batch.status(now, UTC)


def refusal_for_consume(
    current: Batch | None,
    code: str,
    *,
    liters: Decimal,
    expected_version: int | None,
    now: datetime,
) -> DairyError:
    """Explain a refused consume: missing, stale, a status that allows no consuming, or
    (a status that does) not enough left."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    status = _status(current, now)
    why = why_not_consumable(status)
    if why is None:
        return NotEnoughLeft(
            f"Cannot take {format_liters(liters)} L from batch {code}: only "
            f"{format_liters(current.remaining_liters)} L remain. Nothing was consumed."
        )
    refused = f"Batch {code} {why}"
    if status is BatchStatus.DELETED:
        return BatchDeleted(
            f"{refused}; nothing can be consumed from it. Restore it first if it was deleted "
            "by mistake."
        )
    if status is BatchStatus.EXPIRED:
        return BatchExpired(
            f"{refused} (at {current.expires_at:%Y-%m-%d %H:%M} UTC); expired milk cannot be "
            "used for production. Discard it and delete the batch."
        )
    if status is BatchStatus.EMPTY:
        return NotEnoughLeft(f"{refused}: there is nothing left to take. Nothing was consumed.")
    return RuleRefused(f"{refused}; nothing can be consumed from it.")


def refusal_for_lifecycle(
    current: Batch | None,
    code: str,
    *,
    delete: bool,
    expected_version: int | None,
    now: datetime,
) -> DairyError:
    """Explain a refused delete or restore: missing, stale, or not allowed in its status."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    allowed = allowance(_status(current, now))
    if delete and not allowed.delete:
        return BatchDeleted(f"Batch {code} is already deleted; nothing was changed.")
    if not delete and not allowed.restore:
        return BatchNotDeleted(f"Batch {code} is not deleted; there is nothing to restore.")
    return RuleRefused(f"Batch {code} could not be changed; nothing was changed.")
