"""What a trace tells: plain, immutable facts about where a batch's milk came from and went.

Built from the audit trail (services/trace.py), never from a second record, so a trace and
`audit --batch` cannot disagree. Litres are exact decimals, times aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.status import BatchStatus


@dataclass(frozen=True, slots=True)
class Reversal:
    """The `reverse` event that put a consume's or a disposal's litres back."""

    event_id: int
    at: datetime
    operator: str
    workstation: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class Use:
    """One consume: litres taken from the batch, for an order (None: none was given)."""

    event_id: int
    order_id: str | None
    liters: Decimal
    at: datetime
    operator: str
    workstation: str
    request_id: str | None
    reversal: Reversal | None = None

    @property
    def stands(self) -> bool:
        """Not undone: a reversal puts all of a consume's litres back, so it cancels it."""
        return self.reversal is None


@dataclass(frozen=True, slots=True)
class Disposal:
    """One write-off, with its reason code (domain.disposal.DisposeReason value)."""

    event_id: int
    reason_code: str | None
    liters: Decimal
    at: datetime
    operator: str
    workstation: str
    note: str | None
    reversal: Reversal | None = None


@dataclass(frozen=True, slots=True)
class QaFinding:
    """One lab result as recorded (domain.qa.QaResult value in `result`)."""

    event_id: int
    test: str | None
    result: str | None
    analyst: str | None
    kit: str | None
    sample_id: str | None
    at: datetime
    operator: str
    workstation: str


@dataclass(frozen=True, slots=True)
class BatchTrace:
    """A batch's intake, its current state, and every use, disposal and lab result."""

    code: str
    received_at: datetime
    expires_at: datetime
    supplier: str | None
    tanker: str | None
    seal: str | None
    temperature_deci: int | None  # receipt temperature, tenths of °C
    fat_percent: Decimal | None
    initial_liters: Decimal
    remaining_liters: Decimal
    status: BatchStatus
    uses: tuple[Use, ...]
    disposals: tuple[Disposal, ...]
    qa_results: tuple[QaFinding, ...]

    @property
    def standing_uses(self) -> tuple[Use, ...]:
        return tuple(use for use in self.uses if use.stands)

    @property
    def used_liters(self) -> Decimal:
        """Litres that went into orders and stayed there (reversed consumes left out)."""
        return sum((use.liters for use in self.standing_uses), Decimal("0.000"))

    @property
    def orders(self) -> tuple[str, ...]:
        """The orders that still hold some of this milk, in the order they first used it."""
        found = (use.order_id for use in self.standing_uses if use.order_id is not None)
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class OrderTrace:
    """Every batch that went into an order; each batch's uses are this order's only."""

    order_id: str
    batches: tuple[BatchTrace, ...]

    @property
    def used_liters(self) -> Decimal:
        return sum((batch.used_liters for batch in self.batches), Decimal("0.000"))
