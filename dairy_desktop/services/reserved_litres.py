"""Whose reserved litres stood in the way of a change: the words of a refusal.

The guard decided on the batch's own total (reserved_ml); these name the orders from the
batch's reservations as read just after (a reservation let go in between can make the two
differ, and then the total is what is told).
"""

from __future__ import annotations

from collections.abc import Sequence

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.liters import format_liters, from_milliliters
from dairy_desktop.domain.reservation import Reservation


def _liters(milliliters: int) -> str:
    return f"{format_liters(from_milliliters(milliliters))} L"


def others_reserved_ml(
    current: Batch, order_id: str | None, reservations: Sequence[Reservation]
) -> tuple[int, list[str]]:
    """The litres reserved on `current` for orders other than `order_id`, and those orders
    (sorted). Without the rows (a caller that did not read them), the batch's total."""
    own = sum(r.reserved_ml for r in reservations if r.order_id == order_id)
    others = sorted({r.order_id for r in reservations if r.order_id != order_id})
    return max(current.reserved_ml - own, 0), others


def reserved_clause(
    current: Batch, order_id: str | None, reservations: Sequence[Reservation]
) -> str | None:
    """ "30.000 L of the 60.000 L left are reserved for ORDER-A, ORDER-B (30.000 L
    available)", counting only other orders' litres as unavailable; None when none are."""
    held, orders = others_reserved_ml(current, order_id, reservations)
    if held <= 0:
        return None
    whom = ", ".join(orders) if orders else "other orders"
    return (
        f"{_liters(held)} of the {_liters(current.remaining_ml)} left are reserved for "
        f"{whom} ({_liters(current.remaining_ml - held)} available)"
    )
