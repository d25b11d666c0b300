"""Why a reserve on one batch was refused, from the batch as it is now: missing, a status
that allows no use, or not that many litres unreserved."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from dairy_desktop.domain.allowances import why_not_consumable
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchExpired,
    DairyError,
    NotEnoughLeft,
    RuleRefused,
)
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.refusals import not_found

_NOTHING = "Nothing was reserved."


def reserve_refusal(
    current: Batch | None, code: str, *, liters: Decimal, now: datetime
) -> DairyError:
    if current is None:
        return not_found(code)
    # The plant's zone only places the expiry bands, and every band allows the same.
    status = current.status(now, UTC)
    why = why_not_consumable(status)
    if why is None or status is BatchStatus.EMPTY:
        return NotEnoughLeft(
            f"Cannot reserve {format_liters(liters)} L on batch {code}: of the "
            f"{format_liters(current.remaining_liters)} L left, "
            f"{format_liters(current.reserved_liters)} L are reserved already "
            f"({format_liters(current.available_liters)} L available). {_NOTHING}"
        )
    refused = f"Batch {code} {why}; its litres cannot be reserved."
    if status is BatchStatus.DELETED:
        return BatchDeleted(f"{refused} {_NOTHING}")
    if status is BatchStatus.EXPIRED:
        return BatchExpired(f"{refused} {_NOTHING}")
    return RuleRefused(f"{refused} {_NOTHING}")
