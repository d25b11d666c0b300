"""Counts and litres by status for the status bar."""

from __future__ import annotations

from decimal import Decimal

from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.main.batch_rows import BatchRowView
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

_AVAILABLE = {BatchStatus.FRESH, BatchStatus.NEAR_EXPIRY, BatchStatus.EXPIRES_TODAY}
_NEAR = {BatchStatus.NEAR_EXPIRY, BatchStatus.EXPIRES_TODAY}


def summarise(rows: list[BatchRowView]) -> str:
    def liters(statuses: set[BatchStatus]) -> tuple[int, Decimal]:
        chosen = [r.batch.remaining_ml for r in rows if r.status in statuses]
        return len(chosen), from_milliliters(sum(chosen))

    live = sum(1 for r in rows if r.status != BatchStatus.DELETED)
    available, available_l = liters(_AVAILABLE)
    near, near_l = liters(_NEAR)
    expired, expired_l = liters({BatchStatus.EXPIRED})
    return (
        f"{live} batches  |  Available: {available} batches, "
        f"{format_decimal(available_l, 3)} L  |  Near expiry: {near}, "
        f"{format_decimal(near_l, 3)} L  |  Expired: {expired}, {format_decimal(expired_l, 3)} L"
    )
