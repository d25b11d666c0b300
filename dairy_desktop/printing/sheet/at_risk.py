"""Reservations at risk, for the daily sheet: litres an order counts on that may not be there.

A reservation is at risk when its batch expires before its planned day ends (the order
would find the milk expired), or when the batch may not be used at all: on hold, awaiting
QA, rejected, recalled or deleted. The reservation stays in the database in every case
(a hold may be lifted); the sheet tells the planner to look at it. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.status import BatchStatus, ExpiryBands
from dairy_desktop.printing.text_format import liters_text, local_time_text

AT_RISK_TITLE = "Reservations at risk — re-plan these orders"

# The statuses under which reserved milk cannot be used as planned, whatever its expiry.
_NOT_USABLE = {
    BatchStatus.ON_HOLD: "batch on hold",
    BatchStatus.PENDING_QA: "batch awaiting QA release",
    BatchStatus.REJECTED: "batch rejected by QA",
    BatchStatus.RECALLED: "batch recalled",
    BatchStatus.DELETED: "batch deleted",
}


@dataclass(frozen=True, slots=True)
class AtRiskRow:
    """One reservation at risk; the *_text fields are ready to print."""

    order_id: str
    batch_code: str
    reserved_ml: int
    planned_for: date
    liters_text: str
    planned_text: str
    expires_text: str
    why: str


def risk_of(batch: Batch | None, planned_for: date, zone: tzinfo, bands: ExpiryBands) -> str | None:
    """Why the reservation may fail, or None when its batch should still be there."""
    if batch is None:
        return "batch not found"
    status = batch.status_in(bands)
    if status in _NOT_USABLE:
        return _NOT_USABLE[status]
    expires = as_utc(batch.expires_at)
    if expires <= bands.now:
        return "batch expired"
    if expires < _local_midnight(planned_for, zone):
        return "expires before that day"
    if expires < _local_midnight(planned_for + timedelta(days=1), zone):
        return "expires during that day"
    return None


def _local_midnight(day: date, zone: tzinfo) -> datetime:
    """The UTC instant the local `day` begins (a DST day is 23 or 25 hours long)."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def reservations_at_risk(
    reservations: Iterable[Reservation],
    batches: Mapping[str, Batch],
    *,
    zone: tzinfo,
    decided_at: datetime,
) -> tuple[AtRiskRow, ...]:
    """The reservations at risk at `decided_at`, soonest planned day first (then order, code)."""
    bands = ExpiryBands.at(decided_at, zone)
    rows = []
    for reservation in reservations:
        batch = batches.get(reservation.batch_code)
        why = risk_of(batch, reservation.planned_for, zone, bands)
        if why is None:
            continue
        rows.append(
            AtRiskRow(
                order_id=reservation.order_id,
                batch_code=reservation.batch_code,
                reserved_ml=reservation.reserved_ml,
                planned_for=reservation.planned_for,
                liters_text=liters_text(reservation.liters),
                planned_text=f"{reservation.planned_for:%a} {reservation.planned_for.isoformat()}",
                expires_text="" if batch is None else local_time_text(batch.expires_at, zone),
                why=why,
            )
        )
    rows.sort(key=lambda row: (row.planned_for, row.order_id, row.batch_code))
    return tuple(rows)
