"""The one place that decides a batch's status; tables, sheets and the CLI all ask it."""

from __future__ import annotations

from datetime import datetime, tzinfo
from enum import StrEnum

from dairy_desktop.domain.clock import as_utc, start_of_local_day

DEFAULT_NEAR_EXPIRY_DAYS = 3


class BatchStatus(StrEnum):
    EXPIRED = "expired"
    EXPIRES_TODAY = "expires_today"
    NEAR_EXPIRY = "near_expiry"
    FRESH = "fresh"
    EMPTY = "empty"
    DELETED = "deleted"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    BatchStatus.EXPIRED: "Expired",
    BatchStatus.EXPIRES_TODAY: "Expires today",
    BatchStatus.NEAR_EXPIRY: "Near expiry",
    BatchStatus.FRESH: "Fresh",
    BatchStatus.EMPTY: "Empty",
    BatchStatus.DELETED: "Deleted",
}


def batch_status(
    *,
    expires_at: datetime,
    remaining_ml: int,
    deleted: bool,
    now: datetime,
    zone: tzinfo,
    near_expiry_days: int = DEFAULT_NEAR_EXPIRY_DAYS,
) -> BatchStatus:
    """Status at instant `now`.

    Precedence: deleted, then empty (nothing to use or discard), then the expiry bands.
    "Expires today" means before the end of the current local day; "near expiry" means
    before the end of the Nth following local day.
    """
    if deleted:
        return BatchStatus.DELETED
    if remaining_ml <= 0:
        return BatchStatus.EMPTY
    expires = as_utc(expires_at)
    if expires <= as_utc(now):
        return BatchStatus.EXPIRED
    if expires < start_of_local_day(now, zone, plus_days=1):
        return BatchStatus.EXPIRES_TODAY
    if expires < start_of_local_day(now, zone, plus_days=1 + near_expiry_days):
        return BatchStatus.NEAR_EXPIRY
    return BatchStatus.FRESH
