"""What the daily expiry sheet says, decided without Qt: sections, rows, totals.

Sections are decided at one moment, `sections_at`: the moment of printing when the sheet
is printed on its own day (plant local time), otherwise the start of that day. So milk
that has already expired is always under "Expired — remove", never under "use first" (a
reprint at 14:00 moves the batches that expired since 05:30 there, and nothing else),
while a sheet printed the evening before, or for a past day, lists what that day started
with. The sheet prints that moment; remaining litres and time left are as of
`generated_at`.

Milk nobody may use is listed apart whatever its expiry, where the walker meets it right
after the expired milk and before anything usable: "On hold / rejected / recalled — do not
use", then "Awaiting QA". So the usable sections' totals are usable litres only.
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
from dairy_desktop.domain.intake import DEFAULT_TEMPERATURE_LIMIT_DECI, is_over_limit
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.plan import Plan, PlanLot, build_plan
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.settings import MAX_NEAR_EXPIRY_DAYS
from dairy_desktop.domain.status import DO_NOT_USE, BatchStatus, ExpiryBands
from dairy_desktop.domain.time_left import describe_time_left
from dairy_desktop.printing.sheet.at_risk import AtRiskRow, reservations_at_risk
from dairy_desktop.printing.text_format import (
    batches_text,
    fat_text,
    liters_text,
    local_time_text,
    sheet_date_text,
    temperature_text,
)

SHEET_TITLE = "Daily expiry sheet"
MAX_SHEET_DAYS = MAX_NEAR_EXPIRY_DAYS


class SectionKind(StrEnum):
    """The sheet's sections in the order they are printed."""

    EXPIRED = "expired"
    DO_NOT_USE = "do_not_use"
    AWAITING_QA = "awaiting_qa"
    EXPIRES_TODAY = "expires_today"
    PLAN = "plan"


# Sections whose batches are usable: their totals are the litres the plant can use.
USABLE_SECTIONS = frozenset({SectionKind.EXPIRES_TODAY, SectionKind.PLAN})


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
    # Receipt temperature ('4.5 °C', '' when not recorded) and whether it is over the limit.
    temperature_text: str = ""
    warm: bool = False
    # Set for the batches nobody may use (on hold, rejected, recalled, awaiting QA): the row
    # prints this status's word and shape, and its "Used" box is crossed out.
    status: BatchStatus | None = None

    @property
    def remaining_liters(self) -> Decimal:
        return from_milliliters(self.remaining_ml)

    @property
    def status_word(self) -> str:
        return "" if self.status is None else self.status.label


@dataclass(frozen=True, slots=True)
class SheetSection:
    kind: SectionKind
    title: str
    rows: tuple[SheetRow, ...]
    short_title: str = ""

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
    temperature_limit_deci: int = DEFAULT_TEMPERATURE_LIMIT_DECI
    # Page 1's planning chart: the sheet's days, counted as `plan` counts them (domain.plan).
    plan: Plan | None = None
    # Reservations whose batch may not be there for the order (printing/sheet/at_risk.py),
    # out of `reservation_count` reservations the sheet was given.
    at_risk: tuple[AtRiskRow, ...] = ()
    reservation_count: int = 0

    @property
    def temperature_note(self) -> str:
        """What the warm-load mark on a row means (the mark is a text character too, so it
        survives a black-and-white copy and can be searched for in the PDF)."""
        limit = temperature_text(self.temperature_limit_deci)
        return f"{WARM_MARK} received above the plant's limit of {limit} (under the fat %)."

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

    @property
    def usable_liters(self) -> Decimal:
        """Litres the plant may use: the usable sections only, never blocked milk."""
        return from_milliliters(
            sum(
                row.remaining_ml
                for section in self.sections
                if section.kind in USABLE_SECTIONS
                for row in section.rows
            )
        )


WARM_MARK = "▲"


def section_title(kind: SectionKind, days: int) -> str:
    if kind is SectionKind.EXPIRED:
        return "Expired — remove"
    if kind is SectionKind.DO_NOT_USE:
        return "On hold / rejected / recalled — do not use"
    if kind is SectionKind.AWAITING_QA:
        return "Awaiting QA"
    if kind is SectionKind.EXPIRES_TODAY:
        return "Expires today — use first"
    return f"Expires within {days} {'day' if days == 1 else 'days'} — plan"


def short_title(kind: SectionKind, days: int) -> str:
    """For the first page's summary boxes, five abreast."""
    if kind is SectionKind.DO_NOT_USE:
        return "Do not use"
    if kind is SectionKind.EXPIRES_TODAY:
        return "Expires today"
    if kind is SectionKind.PLAN:
        return f"Plan: {days} {'day' if days == 1 else 'days'}"
    return section_title(kind, days)


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


def blocked_section(status: BatchStatus) -> SectionKind | None:
    """The section a batch nobody may use goes to, whatever its expiry; None otherwise."""
    if status in DO_NOT_USE:
        return SectionKind.DO_NOT_USE
    if status is BatchStatus.PENDING_QA:
        return SectionKind.AWAITING_QA
    return None


def _row(
    batch: Batch, zone: tzinfo, generated_at: datetime, limit_deci: int, status: BatchStatus | None
) -> SheetRow:
    deci = batch.temperature_deci
    warm = is_over_limit(deci, limit_deci)
    temperature = "" if deci is None else temperature_text(deci)
    return SheetRow(
        code=batch.code,
        expires_at=as_utc(batch.expires_at),
        remaining_ml=batch.remaining_ml,
        received_text=local_time_text(batch.received_at, zone),
        expires_text=local_time_text(batch.expires_at, zone),
        time_left_text=describe_time_left(batch.expires_at, generated_at),
        remaining_text=liters_text(batch.remaining_liters),
        fat_text=fat_text(batch.fat_percent),
        temperature_text=f"{WARM_MARK} {temperature}" if warm else temperature,
        warm=warm,
        status=status,
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
    temperature_limit_deci: int = DEFAULT_TEMPERATURE_LIMIT_DECI,
    reservations: Iterable[Reservation] = (),
) -> DailySheet:
    """Sort `batches` into the sheet's sections, first-expiring first (FEFO).

    Empty (nothing left) and deleted batches are left out: there is nothing to use or remove.
    On hold, rejected, recalled and awaiting-QA batches go to their own sections whatever
    their expiry (the status's precedence, domain.status); the rest by expiry.
    The planning chart covers the sheet's day and its horizon; `reservations` (every
    order's) give the "Reservations at risk" list.
    """
    if not 0 <= days <= MAX_SHEET_DAYS:
        raise InvalidInput(
            f"The plan horizon must be 0–{MAX_SHEET_DAYS} days (got {days}).", field="days"
        )
    generated_at = as_utc(generated_at)
    decided_at = sections_moment(sheet_date, zone, generated_at)
    # Only the lifecycle part of the status is used here (its expiry bands are the screen's
    # "now"; the sheet's own bands are section_of's), so any bands will do.
    bands = ExpiryBands.at(decided_at, zone, days)
    buckets: dict[SectionKind, list[tuple[Batch, BatchStatus | None]]] = {
        kind: [] for kind in SectionKind
    }
    batches = list(batches)
    reservations = list(reservations)
    plan_ends = local_midnight(sheet_date + timedelta(days=days + 1), zone)
    plan = build_plan(
        # Only the few batches inside the chart's days are converted (100,000 at a big plant).
        (PlanLot.of(b) for b in batches if decided_at < b.expires_at < plan_ends),
        first_day=sheet_date,
        days=days,
        zone=zone,
        after=decided_at,
    )
    at_risk = reservations_at_risk(
        reservations, {batch.code: batch for batch in batches}, zone=zone, decided_at=decided_at
    )
    for batch in batches:
        if batch.is_deleted or batch.remaining_ml <= 0:
            continue
        status = batch.status_in(bands)
        kind = blocked_section(status)
        if kind is not None:
            buckets[kind].append((batch, status))
            continue
        kind = section_of(batch.expires_at, sheet_date, days, zone, decided_at)
        if kind is not None:
            buckets[kind].append((batch, None))
    sections = tuple(
        SheetSection(
            kind=kind,
            title=section_title(kind, days),
            short_title=short_title(kind, days),
            rows=tuple(
                _row(batch, zone, generated_at, temperature_limit_deci, status)
                # Code breaks ties so two prints of the same data are identical.
                for batch, status in sorted(
                    members, key=lambda m: (as_utc(m[0].expires_at), m[0].code)
                )
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
        temperature_limit_deci=temperature_limit_deci,
        plan=plan,
        at_risk=at_risk,
        reservation_count=len(reservations),
    )
