"""Consumption totals: the litres consume events took, and the litres their reversals put
back, summed per order, plant day or operator.

A reversal always counts in the group (and period) of the consume it undoes, so a group's
net is never negative. Disposals are write-offs, not consumption: they never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# How a report shows the group of consumes made without an order (JSON: null).
NO_ORDER = "(no order)"


class Grouping(StrEnum):
    ORDER = "order"
    DAY = "day"
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class ConsumptionTotals:
    consumed_ml: int
    reversed_ml: int
    # Consume events, reversed ones included; batches: distinct batches they took from.
    consumes: int
    batches: int

    @property
    def net_ml(self) -> int:
        return self.consumed_ml - self.reversed_ml


NO_CONSUMPTION = ConsumptionTotals(consumed_ml=0, reversed_ml=0, consumes=0, batches=0)


@dataclass(frozen=True, slots=True)
class ConsumptionRow:
    """One group's totals. `key`: the order id (None: consumed without an order), the plant
    day as YYYY-MM-DD, or the operator who consumed."""

    key: str | None
    totals: ConsumptionTotals
