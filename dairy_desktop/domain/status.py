"""The one place that decides a batch's status; tables, sheets and the CLI all ask it."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class ExpiryBands:
    """The instants that separate the expiry bands at one moment, computed once per pass.

    "Expires today" means before the end of the current local day; "near expiry" means
    before the end of the Nth following local day.
    """

    now: datetime
    today_ends: datetime
    horizon_ends: datetime

    @classmethod
    def at(
        cls, now: datetime, zone: tzinfo, near_expiry_days: int = DEFAULT_NEAR_EXPIRY_DAYS
    ) -> ExpiryBands:
        return cls(
            as_utc(now),
            start_of_local_day(now, zone, plus_days=1),
            start_of_local_day(now, zone, plus_days=1 + near_expiry_days),
        )

    def status(self, *, expires_at: datetime, remaining_ml: int, deleted: bool) -> BatchStatus:
        """Precedence: deleted, then empty (nothing to use or discard), then the bands."""
        if deleted:
            return BatchStatus.DELETED
        if remaining_ml <= 0:
            return BatchStatus.EMPTY
        if expires_at.utcoffset() is None:
            raise ValueError(f"naive datetime {expires_at!r}: every instant must carry its offset")
        # Aware datetimes compare as instants whatever their zone: no conversion per row.
        if expires_at <= self.now:
            return BatchStatus.EXPIRED
        if expires_at < self.today_ends:
            return BatchStatus.EXPIRES_TODAY
        if expires_at < self.horizon_ends:
            return BatchStatus.NEAR_EXPIRY
        return BatchStatus.FRESH


def batch_status(
    *,
    expires_at: datetime,
    remaining_ml: int,
    deleted: bool,
    now: datetime,
    zone: tzinfo,
    near_expiry_days: int = DEFAULT_NEAR_EXPIRY_DAYS,
) -> BatchStatus:
    """Status at instant `now` (see ExpiryBands; use it directly for many batches)."""
    return ExpiryBands.at(now, zone, near_expiry_days).status(
        expires_at=expires_at, remaining_ml=remaining_ml, deleted=deleted
    )
