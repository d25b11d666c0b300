"""`audit verify`'s reservation replay: what each order holds on a batch, event by event.

A reserve adds its litres to its order's reservation and sets the planned day; an unreserve
lets the whole of its order's reservation go (and must say how much that was); a consume
for an order draws min(its own reservation, the litres) from it first. After every event
the reservations together fit in what is left: a consume or dispose that took reserved
litres of another order, or a reserve of more than was free, is a problem. At the end the
batch's reserved_ml must be the replayed total, and the reservations table must hold
exactly the replayed rows, litres and planned days.
"""

from __future__ import annotations

from datetime import date

from dairy_desktop.db.audit_chain_queries import StoredEvent, StoredReservation
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.liters import format_liters, from_milliliters

# order id -> (litres held in mL, the planned day)
Held = dict[str, tuple[int, date | None]]


def _liters(milliliters: int) -> str:
    return f"{format_liters(from_milliliters(milliliters))} L"


def apply_reservation(held: Held, event: StoredEvent, remaining_after: int) -> str | None:
    """Apply `event` to the batch's reservations; why it does not follow from them, or None.
    `remaining_after`: the litres the history leaves after the event."""
    action, order, litres = event.action, event.order_id, event.liters_ml or 0
    problem: str | None = None
    if action == AuditAction.RESERVE:
        if order is None or event.reserved_for is None or litres <= 0:
            problem = "reserves without an order, a planned day or litres"
        else:
            before = held.get(order, (0, None))[0]
            held[order] = (before + litres, event.reserved_for)
    elif action == AuditAction.UNRESERVE:
        released = None if order is None else held.pop(order, None)
        if released is None:
            problem = f"lets go of a reservation {order} did not hold"
        elif released[0] != litres:
            problem = f"lets go of {_liters(litres)} where {order} held {_liters(released[0])}"
    elif action == AuditAction.CONSUME and order is not None and order in held:
        own, planned = held[order]
        draw = min(own, litres)
        if own > draw:
            held[order] = (own - draw, planned)
        else:
            del held[order]
    total = sum(ml for ml, _ in held.values())
    if problem is None and total > remaining_after:
        problem = (
            f"leaves {_liters(remaining_after)} where {_liters(total)} are reserved"
            f" ({', '.join(sorted(held))})"
        )
    return None if problem is None else f"event {event.id} {problem}"


def reservation_problem(held: Held, stored_ml: int, rows: list[StoredReservation]) -> str | None:
    """Why the batch's reserved_ml or its reservations rows disagree with the replay."""
    differences: list[str] = []
    total = sum(ml for ml, _ in held.values())
    if stored_ml != total:
        differences.append(f"reserved mL {stored_ml} (history: {total})")
    stored = {row.order_id: (row.reserved_ml, row.planned_for) for row in rows}
    for order in sorted(stored.keys() | held.keys()):
        told, kept = held.get(order), stored.get(order)
        if told != kept:
            differences.append(
                f"a reservation for {order} of {_shown(kept)} (history: {_shown(told)})"
            )
    if not differences:
        return None
    return "the row says " + ", ".join(differences)


def _shown(reservation: tuple[int, date | None] | None) -> str:
    if reservation is None:
        return "none"
    milliliters, planned = reservation
    day = "no day" if planned is None else planned.isoformat()
    return f"{milliliters} mL for {day}"
