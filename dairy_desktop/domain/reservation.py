"""A reservation: litres of one batch set aside for one order until it consumes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from dairy_desktop.domain.liters import from_milliliters


@dataclass(frozen=True, slots=True)
class Reservation:
    """One (batch, order) pair: an order holds at most one reservation per batch, which
    grows with each reserve and shrinks as the order consumes from the batch."""

    order_id: str
    batch_code: str
    reserved_ml: int
    planned_for: date  # the plant day the order plans to use the milk
    updated_at: datetime
    operator: str
    workstation: str

    @property
    def liters(self) -> Decimal:
        return from_milliliters(self.reserved_ml)
