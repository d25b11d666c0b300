"""The one place that decides a batch's status; tables, sheets and the CLI all ask it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from dairy_desktop.domain.clock import as_utc, start_of_local_day
from dairy_desktop.domain.qa import QaState

DEFAULT_NEAR_EXPIRY_DAYS = 3


class BatchStatus(StrEnum):
    EXPIRED = "expired"
    EXPIRES_TODAY = "expires_today"
    NEAR_EXPIRY = "near_expiry"
    FRESH = "fresh"
    EMPTY = "empty"
    PENDING_QA = "pending_qa"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"
    RECALLED = "recalled"
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
    BatchStatus.PENDING_QA: "Awaiting QA",
    BatchStatus.ON_HOLD: "On hold",
    BatchStatus.REJECTED: "Rejected",
    BatchStatus.RECALLED: "Recalled",
    BatchStatus.DELETED: "Deleted",
}

# The statuses that stop a batch from being used whatever its expiry: the sheet's
# "do not use" section and the filter's "blocked" choice.
DO_NOT_USE = frozenset({BatchStatus.ON_HOLD, BatchStatus.REJECTED, BatchStatus.RECALLED})


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

    def status(
        self,
        *,
        expires_at: datetime,
        remaining_ml: int,
        deleted: bool,
        qa: QaState = QaState.RELEASED,
        held: bool = False,
        recalled: bool = False,
    ) -> BatchStatus:
        """Precedence: deleted > recalled > rejected > on hold > awaiting QA > empty (nothing
        to use or discard) > the expiry bands. The strongest reason not to use a batch wins,
        so a recalled batch never reads as merely "expired"."""
        if deleted:
            return BatchStatus.DELETED
        if recalled:
            return BatchStatus.RECALLED
        if qa is QaState.REJECTED:
            return BatchStatus.REJECTED
        if held:
            return BatchStatus.ON_HOLD
        if qa is QaState.PENDING:
            return BatchStatus.PENDING_QA
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
    qa: QaState = QaState.RELEASED,
    held: bool = False,
    recalled: bool = False,
) -> BatchStatus:
    """Status at instant `now` (see ExpiryBands; use it directly for many batches)."""
    return ExpiryBands.at(now, zone, near_expiry_days).status(
        expires_at=expires_at,
        remaining_ml=remaining_ml,
        deleted=deleted,
        qa=qa,
        held=held,
        recalled=recalled,
    )
