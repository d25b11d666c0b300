"""What the daily expiry sheet says, decided without Qt: sections, rows, totals.

Sections are decided at one moment, `sections_at`: the moment of printing when the sheet
is printed on its own day (plant local time), otherwise the start of that day. So milk
that has already expired is always under "Expired — remove", never under "use first" (a
reprint at 14:00 moves the batches that expired since 05:30 there, and nothing else),
while a sheet printed the evening before, or for a past day, lists what that day started
with. The sheet prints that moment; remaining litres and time left are as of
`generated_at`.
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
    sections_at: datetime  # the moment the sections were decided at (UTC)
    sections_at_text: str

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


def sections_moment(sheet_date: date, zone: tzinfo, generated_at: datetime) -> datetime:
    """When the sections are decided: the moment of printing when that falls on the sheet's
    local day (what has expired by the time the sheet is read is expired), otherwise the
    start of that day (a sheet printed the evening before, or one for a past day's records,
    lists what the day started with)."""
    day_start = local_midnight(sheet_date, zone)
    printed = as_utc(generated_at)
    on_the_day = day_start <= printed < local_midnight(sheet_date + timedelta(days=1), zone)
    return printed if on_the_day else day_start


def section_of(
    expires_at: datetime, sheet_date: date, days: int, zone: tzinfo, decided_at: datetime
) -> SectionKind | None:
    """Which section a batch expiring at `expires_at` belongs to, or None (fresh: not listed).

    `decided_at` is `sections_moment(...)`. The bands match `domain.status` at that moment
    on the sheet's day: expired once `expires_at` has been reached (a batch expiring exactly
    at local midnight is expired for the whole day that begins then), "today" until the
    day ends, "plan" until `days` more days have ended.
    """
    expires = as_utc(expires_at)
    if expires <= as_utc(decided_at):
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
    decided_at = sections_moment(sheet_date, zone, generated_at)
    buckets: dict[SectionKind, list[Batch]] = {kind: [] for kind in SectionKind}
    for batch in batches:
        if batch.is_deleted or batch.remaining_ml <= 0:
            continue
        kind = section_of(batch.expires_at, sheet_date, days, zone, decided_at)
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
        sections_at=decided_at,
        sections_at_text=local_time_text(decided_at, zone),
    )
