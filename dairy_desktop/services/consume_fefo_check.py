"""What a window checks before one batch's litres are taken for an order: the litres the
batch can give that order (other orders' reservations are not its to take), and the
earlier-expiring batches it could take from instead (for domain.fefo's FEFO warning).

Writes nothing. Reads only the batches expiring before the chosen one: at a large plant
reading every consumable batch costs seconds, and a later one can never be "earlier".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.allowances import can_consume
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.fefo import Candidate
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.services.orders_pick import decision_time, own_reservations
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database


@dataclass(frozen=True, slots=True)
class BatchForOrder:
    """Batch `code` as an order may use it: its reservations (every order's), the litres
    it can give the order, and the consumable batches expiring before it (FEFO first),
    each with what it can give the order."""

    code: str
    reservations: tuple[Reservation, ...]
    available_ml: int
    earlier: tuple[Candidate, ...]
    order_id: str | None = None

    @property
    def reserved_for_others(self) -> tuple[Reservation, ...]:
        """The reservations the order may not draw on (every one, without an order)."""
        return tuple(r for r in self.reservations if r.order_id != self.order_id)


def batch_for_order(
    database: Database, code: str, order_id: str | None, *, now: datetime | None = None
) -> BatchForOrder | None:
    """None when no batch has `code`. `order_id` None: a consume for no order, which may
    take no reserved litres at all."""
    order = validate_order_id(order_id)
    now = decision_time(database, now)
    with database.unit_of_work() as uow:
        batch = uow.batches.get_by_code(code)
        if batch is None:
            return None
        zone = settings_from(uow.settings.all()).zone
        own = own_reservations(uow, order)
        reservations = tuple(uow.reservations.for_batch(code))
        earlier = tuple(
            Candidate(
                b.code,
                b.available_ml + own.get(b.code, 0),
                b.expires_at,
                b.received_at,
                b.version,
                own.get(b.code, 0),
            )
            for b in uow.batches.usable_expiring_before(batch.expires_at, now=now)
            if b.code != code and can_consume(b.status(now, zone))
        )
    return BatchForOrder(code, reservations, batch.available_ml + own.get(code, 0), earlier, order)
