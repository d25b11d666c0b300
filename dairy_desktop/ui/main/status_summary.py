"""Counts and litres by status for the status bar."""

from __future__ import annotations

from decimal import Decimal

from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.main.batch_rows import NEAR, USABLE, BatchRowView
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

# The batches nobody may use, in the words the status bar counts them with ("3 awaiting QA,
# 1 on hold"); only those present are named, so a plant without the QA gate sees nothing new.
_BLOCKED_WORDS = {
    BatchStatus.PENDING_QA: "awaiting QA",
    BatchStatus.ON_HOLD: "on hold",
    BatchStatus.REJECTED: "rejected",
    BatchStatus.RECALLED: "recalled",
}


def summarise(rows: list[BatchRowView]) -> str:
    def liters(statuses: frozenset[BatchStatus]) -> tuple[int, Decimal]:
        chosen = [r.batch.remaining_ml for r in rows if r.status in statuses]
        return len(chosen), from_milliliters(sum(chosen))

    live = sum(1 for r in rows if r.status != BatchStatus.DELETED)
    available, available_l = liters(USABLE)
    near, near_l = liters(NEAR)
    expired, expired_l = liters(frozenset({BatchStatus.EXPIRED}))
    # What may not be used stands next to what may: it is what "available" leaves out.
    blocked = blocked_counts(rows)
    return (
        f"{live} batches  |  Available: {available} batches, "
        f"{format_decimal(available_l, 3)} L  |  {f'{blocked}  |  ' if blocked else ''}"
        f"Near expiry: {near}, {format_decimal(near_l, 3)} L  |  "
        f"Expired: {expired}, {format_decimal(expired_l, 3)} L"
    )


def blocked_counts(rows: list[BatchRowView]) -> str:
    """e.g. '3 awaiting QA, 1 on hold' ('' when nothing is blocked)."""
    counts = dict.fromkeys(_BLOCKED_WORDS, 0)
    for row in rows:
        if row.status in counts:
            counts[row.status] += 1
    return ", ".join(f"{n} {_BLOCKED_WORDS[s]}" for s, n in counts.items() if n)
