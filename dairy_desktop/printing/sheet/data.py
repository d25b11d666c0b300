"""What the daily expiry sheet says, decided without Qt: sections, rows, totals.

Sections are decided by the sheet's *date* in the plant's local time, never by the instant
the sheet is printed: a sheet printed at 05:30 and one reprinted at 14:00 for the same date
list every batch in the same section. Only "time left" and remaining litres are as of
`generated_at`, and the sheet says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.settings import MAX_NEAR_EXPIRY_DAYS
from dairy_desktop.domain.time_left import describe_time_left
from dairy_desktop.printing.text_format import (
    batches_text,
    fat_text,
    liters_text,
    local_time_text,
    sheet_date_text,
)

SHEET_TITLE = "Daily expiry sheet"
MAX_SHEET_DAYS = MAX_NEAR_EXPIRY_DAYS


class SectionKind(StrEnum):
    EXPIRED = "expired"
    EXPIRES_TODAY = "expires_today"
    PLAN = "plan"


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One batch on the sheet; the *_text fields are ready to print."""

    code: str
    expires_at: datetime
    remaining_ml: int
    received_text: str
    expires_text: str
    time_left_text: str
    remaining_text: str
    fat_text: str

    @property
    def remaining_liters(self) -> Decimal:
        return from_milliliters(self.remaining_ml)


@dataclass(frozen=True, slots=True)
class SheetSection:
    kind: SectionKind
    title: str
    rows: tuple[SheetRow, ...]

    @property
    def batch_count(self) -> int:
        return len(self.rows)

    @property
    def total_liters(self) -> Decimal:
        # Summed in integer millilitres: exact, whatever the number of rows.
        return from_milliliters(sum(row.remaining_ml for row in self.rows))

    @property
    def totals_text(self) -> str:
        return f"{batches_text(self.batch_count)} · {liters_text(self.total_liters)}"


@dataclass(frozen=True, slots=True)
class DailySheet:
    plant_name: str
    sheet_date: date
    days: int
    zone_name: str
    generated_at: datetime
    generated_by: str
    workstation: str
    generated_at_text: str
    sections: tuple[SheetSection, ...]

    @property
    def title(self) -> str:
        return SHEET_TITLE

    @property
    def sheet_date_text(self) -> str:
        return sheet_date_text(self.sheet_date)

    @property
    def row_count(self) -> int:
        return sum(section.batch_count for section in self.sections)

    def section(self, kind: SectionKind) -> SheetSection:
        return next(section for section in self.sections if section.kind is kind)


def section_title(kind: SectionKind, days: int) -> str:
    if kind is SectionKind.EXPIRED:
        return "Expired — remove"
    if kind is SectionKind.EXPIRES_TODAY:
        return "Expires today — use first"
    return f"Expires within {days} {'day' if days == 1 else 'days'} — plan"


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The UTC instant the local `day` begins (days with a DST change are 23 or 25 h long)."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def section_of(
    expires_at: datetime, sheet_date: date, days: int, zone: tzinfo
) -> SectionKind | None:
    """Which section a batch expiring at `expires_at` belongs to, or None (fresh: not listed).

    The bands match `domain.status` evaluated at the start of the sheet's day: a batch that
    expires exactly at local midnight is expired for the whole day that begins then.
    """
    day_start = local_midnight(sheet_date, zone)
    expires = as_utc(expires_at)
    if expires <= day_start:
        return SectionKind.EXPIRED
    if expires < local_midnight(sheet_date + timedelta(days=1), zone):
        return SectionKind.EXPIRES_TODAY
    if expires < local_midnight(sheet_date + timedelta(days=1 + days), zone):
        return SectionKind.PLAN
    return None


def _row(batch: Batch, zone: tzinfo, generated_at: datetime) -> SheetRow:
    return SheetRow(
        code=batch.code,
        expires_at=as_utc(batch.expires_at),
        remaining_ml=batch.remaining_ml,
        received_text=local_time_text(batch.received_at, zone),
        expires_text=local_time_text(batch.expires_at, zone),
        time_left_text=describe_time_left(batch.expires_at, generated_at),
        remaining_text=liters_text(batch.remaining_liters),
        fat_text=fat_text(batch.fat_percent),
    )


def build_daily_sheet(
    batches: Iterable[Batch],
    *,
    sheet_date: date,
    days: int,
    zone: tzinfo,
    generated_at: datetime,
    generated_by: str,
    workstation: str,
    plant_name: str,
) -> DailySheet:
    """Sort `batches` into the sheet's three sections, first-expiring first (FEFO).

    Empty (nothing left) and deleted batches are left out: there is nothing to use or remove.
    """
    if not 0 <= days <= MAX_SHEET_DAYS:
        raise InvalidInput(
            f"The plan horizon must be 0–{MAX_SHEET_DAYS} days (got {days}).", field="days"
        )
    generated_at = as_utc(generated_at)
    buckets: dict[SectionKind, list[Batch]] = {kind: [] for kind in SectionKind}
    for batch in batches:
        if batch.is_deleted or batch.remaining_ml <= 0:
            continue
        kind = section_of(batch.expires_at, sheet_date, days, zone)
        if kind is not None:
            buckets[kind].append(batch)
    sections = tuple(
        SheetSection(
            kind=kind,
            title=section_title(kind, days),
            rows=tuple(
                _row(batch, zone, generated_at)
                # Code breaks ties so two prints of the same data are identical.
                for batch in sorted(members, key=lambda b: (as_utc(b.expires_at), b.code))
            ),
        )
        for kind, members in buckets.items()
    )
    return DailySheet(
        plant_name=plant_name,
        sheet_date=sheet_date,
        days=days,
        zone_name=str(zone),
        generated_at=generated_at,
        generated_by=generated_by,
        workstation=workstation,
        generated_at_text=local_time_text(generated_at, zone),
        sections=sections,
    )
