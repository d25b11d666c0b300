"""A batch as read from storage: an immutable snapshot the services hand out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import DEFAULT_NEAR_EXPIRY_DAYS, BatchStatus, ExpiryBands
from dairy_desktop.domain.whole_number import parse_whole_number

MIN_SHELF_LIFE_DAYS = 1
MAX_RECEIVED_AHEAD = timedelta(minutes=5)  # clock skew between PCs; later is a typo
MAX_SHELF_LIFE_DAYS = 30


def validate_shelf_life_days(days: int | str) -> int:
    return parse_whole_number(
        days,
        label="Shelf life (days)",
        field="shelf_life",
        minimum=MIN_SHELF_LIFE_DAYS,
        maximum=MAX_SHELF_LIFE_DAYS,
    )


def compute_expiry(received_at: datetime, shelf_life_days: int) -> datetime:
    """Expiry is received + N × 24 h in UTC: a DST change shifts the local clock time, not
    the instant, so milk is never given an hour more or less than its shelf life."""
    return received_at + timedelta(days=shelf_life_days)


@dataclass(frozen=True, slots=True)
class Batch:
    id: int
    code: str
    received_at: datetime
    shelf_life_days: int
    expires_at: datetime
    initial_ml: int
    remaining_ml: int
    fat_centi: int | None
    version: int
    deleted_at: datetime | None
    updated_at: datetime
    updated_by: str | None
    updated_workstation: str | None
    # Intake, recorded at registration and never changed (like the code and the size).
    supplier: str | None = None
    tanker: str | None = None
    seal: str | None = None
    temperature_deci: int | None = None  # receipt temperature, tenths of °C
    # The lifecycle: the lab's verdict, and a hold or recall (when it was placed).
    qa_state: QaState = QaState.RELEASED
    held_at: datetime | None = None
    recalled_at: datetime | None = None
    # Litres set aside for orders (all orders together, migration 0006); never more than
    # remaining_ml. Only the reserving order may take them.
    reserved_ml: int = 0

    @property
    def available_ml(self) -> int:
        """What an order without a reservation on this batch may take."""
        return self.remaining_ml - self.reserved_ml

    @property
    def reserved_liters(self) -> Decimal:
        return from_milliliters(self.reserved_ml)

    @property
    def available_liters(self) -> Decimal:
        return from_milliliters(self.available_ml)

    @property
    def temperature_c(self) -> Decimal | None:
        return None if self.temperature_deci is None else Decimal(self.temperature_deci) / 10

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None

    @property
    def initial_liters(self) -> Decimal:
        return from_milliliters(self.initial_ml)

    @property
    def remaining_liters(self) -> Decimal:
        return from_milliliters(self.remaining_ml)

    @property
    def fat_percent(self) -> Decimal | None:
        from dairy_desktop.domain.fat import from_centi

        return from_centi(self.fat_centi)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def status(
        self, now: datetime, zone: tzinfo, near_expiry_days: int = DEFAULT_NEAR_EXPIRY_DAYS
    ) -> BatchStatus:
        return self.status_in(ExpiryBands.at(now, zone, near_expiry_days))

    def status_in(self, bands: ExpiryBands) -> BatchStatus:
        """The status with bands computed once for many batches (a table, a sheet)."""
        return bands.status(
            expires_at=self.expires_at,
            remaining_ml=self.remaining_ml,
            deleted=self.is_deleted,
            qa=self.qa_state,
            held=self.is_held,
            recalled=self.is_recalled,
        )
