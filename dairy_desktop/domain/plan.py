"""The production plan: per plant day, the litres that expire that day and could still be used.

A day is local midnight to local midnight on the plant's calendar, so a day with a DST change
is 23 or 25 hours long. Day 0 is the plan's first day (today, or the sheet's day); only milk
expiring after `after` (the moment the plan is made) counts, so litres that have already
expired are never planned.

Counted: batches not deleted, not empty, not rejected and not recalled. Batches on hold or
awaiting QA are counted too, since a hold may be lifted and a test passed before the milk
expires; each day says how many of its batches are such (`on_hold`, `awaiting_qa`), so a
reader knows which litres are not yet free to use.

Every quantity is integer millilitres; the weighted fat % is an exact quotient rounded once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.whole_number import parse_whole_number

DEFAULT_PLAN_DAYS = 7
MAX_PLAN_DAYS = 60
_CENTI = Decimal("0.01")


def validate_plan_days(days: int | str) -> int:
    """Days after the first one (0 = that day alone), 0..MAX_PLAN_DAYS."""
    return parse_whole_number(
        days, label="Plan days (--days)", field="days", minimum=0, maximum=MAX_PLAN_DAYS
    )


@dataclass(frozen=True, slots=True)
class PlanLot:
    """What the plan needs of one batch, as plain values (domain.batch.Batch has them all)."""

    code: str
    expires_at: datetime
    remaining_ml: int
    reserved_ml: int = 0
    fat_centi: int | None = None
    deleted: bool = False
    qa_state: QaState = QaState.RELEASED
    held: bool = False
    recalled: bool = False

    @classmethod
    def of(cls, batch: Batch) -> PlanLot:
        return cls(
            code=batch.code,
            expires_at=batch.expires_at,
            remaining_ml=batch.remaining_ml,
            reserved_ml=batch.reserved_ml,
            fat_centi=batch.fat_centi,
            deleted=batch.is_deleted,
            qa_state=batch.qa_state,
            held=batch.is_held,
            recalled=batch.is_recalled,
        )

    @property
    def counted(self) -> bool:
        """Milk that may still be used some day: not gone, not refused for good."""
        return not (
            self.deleted
            or self.remaining_ml <= 0
            or self.recalled
            or self.qa_state is QaState.REJECTED
        )


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: date
    available_ml: int  # remaining - reserved, summed over the day's batches
    reserved_ml: int
    fat_percent: Decimal | None  # weighted by remaining litres; None when no batch has one
    batches: int
    on_hold: int = 0  # of `batches`, how many are on hold
    awaiting_qa: int = 0  # of `batches`, how many wait for QA release

    @property
    def remaining_ml(self) -> int:
        return self.available_ml + self.reserved_ml

    @property
    def available_liters(self) -> Decimal:
        return from_milliliters(self.available_ml)

    @property
    def reserved_liters(self) -> Decimal:
        return from_milliliters(self.reserved_ml)

    @property
    def not_released(self) -> int:
        return self.on_hold + self.awaiting_qa


@dataclass(frozen=True, slots=True)
class Plan:
    first_day: date
    time_zone: str
    days: tuple[PlanDay, ...]

    @property
    def largest_ml(self) -> int:
        """The tallest stack (available + reserved): what a chart's axis must reach."""
        return max((day.remaining_ml for day in self.days), default=0)

    @property
    def total_ml(self) -> int:
        return sum(day.remaining_ml for day in self.days)


def weighted_fat(parts: Iterable[tuple[int, int]]) -> Decimal | None:
    """Σ(ml × fat) / Σ ml over (ml, fat_centi) pairs, as a percentage with two places."""
    weight = total = 0
    for milliliters, centi in parts:
        weight += milliliters
        total += milliliters * centi
    return _fat_percent(total, weight)


def _fat_percent(total: int, weight: int) -> Decimal | None:
    """Exact integers until the one rounding (half-even: no drift either way on average)."""
    if weight <= 0:
        return None
    centi, left = divmod(total, weight)  # the weighted mean in hundredths of a percent
    if 2 * left > weight or (2 * left == weight and centi % 2 == 1):
        centi += 1
    return (Decimal(centi) / 100).quantize(_CENTI)


@dataclass(slots=True)
class DayTotals:
    """One day's running sums, in integers: what build_plan adds up batch by batch and what
    a database can add up itself (db/plan_queries.py) before the one rounding in day()."""

    available: int = 0
    reserved: int = 0
    batches: int = 0
    on_hold: int = 0
    awaiting_qa: int = 0
    fat_weight: int = 0
    fat_total: int = 0

    def add(self, lot: PlanLot) -> None:
        reserved = min(max(lot.reserved_ml, 0), lot.remaining_ml)
        self.available += lot.remaining_ml - reserved
        self.reserved += reserved
        self.batches += 1
        if lot.held:
            self.on_hold += 1
        elif lot.qa_state is QaState.PENDING:
            self.awaiting_qa += 1
        if lot.fat_centi is not None:
            self.fat_weight += lot.remaining_ml
            self.fat_total += lot.remaining_ml * lot.fat_centi

    def day(self, day: date) -> PlanDay:
        return PlanDay(
            day=day,
            available_ml=self.available,
            reserved_ml=self.reserved,
            fat_percent=_fat_percent(self.fat_total, self.fat_weight),
            batches=self.batches,
            on_hold=self.on_hold,
            awaiting_qa=self.awaiting_qa,
        )


def build_plan(
    lots: Iterable[PlanLot],
    *,
    first_day: date,
    days: int,
    zone: tzinfo,
    after: datetime,
) -> Plan:
    """Days `first_day` .. `first_day + days`, each with the counted litres expiring in it
    (and after `after`). A batch lands on the local day its expiry falls in, once."""
    days = validate_plan_days(days)
    after = as_utc(after)
    starts = day_starts(first_day, days, zone)
    tallies = [DayTotals() for _ in range(days + 1)]
    for lot in lots:
        # Aware datetimes compare as instants: no conversion per batch, only the cut points.
        expires = lot.expires_at
        if expires <= after or not starts[0] <= expires < starts[-1] or not lot.counted:
            continue
        tallies[bisect_right(starts, expires) - 1].add(lot)
    return plan_of_totals(tallies, first_day=first_day, zone=zone)


def plan_of_totals(totals: list[DayTotals], *, first_day: date, zone: tzinfo) -> Plan:
    """The plan from each day's sums, `totals[i]` for `first_day + i`."""
    return Plan(
        first_day=first_day,
        time_zone=str(zone),
        days=tuple(
            tally.day(first_day + timedelta(days=index)) for index, tally in enumerate(totals)
        ),
    )


def day_starts(first_day: date, days: int, zone: tzinfo) -> list[datetime]:
    """The UTC instants at which each of the plan's days begins, then the one its last day
    ends: `days + 2` instants, local midnights (a DST day is 23 or 25 hours long)."""
    return [
        datetime.combine(first_day + timedelta(days=index), time(0), tzinfo=zone).astimezone(UTC)
        for index in range(days + 2)
    ]
