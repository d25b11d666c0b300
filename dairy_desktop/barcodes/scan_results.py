"""What a scan turned out to be: one small frozen dataclass per kind.

Receivers route with ``match``::

    match parse_scan(raw, code_pattern=pattern, now=now):
        case BatchScan(code=code): ...
        case GS1Scan() as gs1: ...
        case OrderScan(order_id=order_id): ...
        case UnknownScan(reason=reason): ...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar


class ScanKind(StrEnum):
    BATCH = "batch"
    GS1 = "gs1"
    ORDER = "order"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class BatchScan:
    """A plain batch code matching the plant's pattern."""

    kind: ClassVar[ScanKind] = ScanKind.BATCH
    raw: str
    code: str
    case_corrected: bool = False
    """True when the scan arrived in lower case (Caps Lock inverts a wedge scanner's case)."""

    def summary(self) -> str:
        note = " (case corrected)" if self.case_corrected else ""
        return f"batch {self.code}{note}"


@dataclass(frozen=True, slots=True)
class GS1Scan:
    """A GS1 element string carrying a batch/lot number (AI 10) and what else it knew.

    Dates and times are the label's own: plant local time, no zone (GS1 carries none).
    """

    kind: ClassVar[ScanKind] = ScanKind.GS1
    raw: str
    batch_code: str
    code_matches_pattern: bool
    production_date: date | None = None
    expiry_date: date | None = None
    """AI 17; from AI 7003 when the label has no (17)."""
    net_volume_liters: Decimal | None = None
    gtin: str | None = None
    symbology: str | None = None
    """The symbology identifier the scanner sent (e.g. ``]C1``), if any."""
    production_date_in_future: bool = False
    expiry_before_production: bool = False
    expiry_datetime: datetime | None = None
    """AI 7003, expiry date and time (naive, plant local time), when the label has it."""
    expiry_passed: bool = False
    """The label's expiry is behind the scan's ``now``: with AI 7003 its date and time has
    come, otherwise its date is before today. Either one passing counts."""
    expiry_dates_disagree: bool = False
    """Both AI 17 and AI 7003 are present and name different days."""
    code_example: str | None = None
    """A code in the plant's format, shown when the batch/lot does not match it."""

    def problems(self) -> tuple[str, ...]:
        """Readable warnings for the register dialog; empty when the data looks sound."""
        found: list[str] = []
        if not self.code_matches_pattern:
            example = f" (codes look like {self.code_example})" if self.code_example else ""
            found.append(
                f"Batch/lot {self.batch_code!r} from the GS1 label (AI 10) does not match "
                f"the plant's code pattern{example}."
            )
        if self.expiry_passed:
            found.append(f"The label says this milk expired on {self._earliest_expiry()}.")
        if self.expiry_dates_disagree and self.expiry_datetime is not None:
            found.append(
                f"The label's expiry date {self.expiry_date} (AI 17) and expiry date and time "
                f"{_day_and_hour(self.expiry_datetime)} (AI 7003) name different days."
            )
        if self.production_date_in_future:
            found.append(f"Production date {self.production_date} (AI 11) is in the future.")
        if self.expiry_before_production:
            found.append(
                f"Expiry date {self.expiry_date} (AI 17) is before the production date "
                f"{self.production_date} (AI 11)."
            )
        return tuple(found)

    def _earliest_expiry(self) -> str:
        # When (17) and (7003) disagree the earlier one is the one that has surely passed.
        moment = self.expiry_datetime
        if moment is not None and (self.expiry_date is None or moment.date() <= self.expiry_date):
            return _day_and_hour(moment)
        return str(self.expiry_date)

    def summary(self) -> str:
        parts = [f"GS1 batch {self.batch_code}"]
        if self.expiry_datetime is not None:
            parts.append(f"expiry {_day_and_hour(self.expiry_datetime)}")
        elif self.expiry_date is not None:
            parts.append(f"expiry {self.expiry_date.isoformat()}")
        if self.net_volume_liters is not None:
            parts.append(f"{self.net_volume_liters} L")
        if self.problems():
            parts.append("with warnings")
        return ", ".join(parts)


def _day_and_hour(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d} at {moment:%H:%M}"


@dataclass(frozen=True, slots=True)
class OrderScan:
    """A production order id."""

    kind: ClassVar[ScanKind] = ScanKind.ORDER
    raw: str
    order_id: str
    case_corrected: bool = False

    def summary(self) -> str:
        note = " (case corrected)" if self.case_corrected else ""
        return f"order {self.order_id}{note}"


@dataclass(frozen=True, slots=True)
class UnknownScan:
    """Anything not understood; ``reason`` names what was scanned and why."""

    kind: ClassVar[ScanKind] = ScanKind.UNKNOWN
    raw: str
    reason: str

    def summary(self) -> str:
        return f"not understood: {self.reason}"


ScanResult = BatchScan | GS1Scan | OrderScan | UnknownScan
