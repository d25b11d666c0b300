"""Let all of an order's reservations go, on every batch, in one transaction; and list the
reservations with what each batch can tell of them now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.errors import NotFound, PlanNoLongerHolds
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.reservation_risk import risk_of
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.orders_lines import Take
from dairy_desktop.services.orders_pick import decision_time, require_order_id
from dairy_desktop.services.orders_request import LineStamps, recorded_lines, shared_request_id
from dairy_desktop.services.orders_run import AfterLine, LineRefused, run_lines
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database


@dataclass(frozen=True, slots=True)
class OrderUnreserved:
    order_id: str
    request_id: str
    lines: tuple[Changed, ...]  # one `unreserve` per batch, its litres those let go
    replayed: bool = False


@logged_action("unreserve order")
def unreserve_order(
    database: Database,
    order_id: str,
    *,
    actor: Actor,
    now: datetime | None = None,
    after_line: AfterLine | None = None,
) -> OrderUnreserved:
    """Release every reservation `order_id` holds (whatever its batches' status: held or
    expired milk's reservation can always be let go). NotFound (4) when it holds none."""
    order = require_order_id(order_id)
    request_id = shared_request_id(actor)
    stamps = LineStamps(actor, request_id, decision_time(database, now))
    with database.unit_of_work(write=True) as uow:
        replay = recorded_lines(uow, request_id, AuditAction.UNRESERVE, order, total_ml=None)
        if replay:
            return OrderUnreserved(order, request_id, replay, replayed=True)
        held = uow.reservations.for_order(order)
        if not held:
            raise NotFound(
                f"Order {order} has no reservations; nothing was let go (`orders "
                "reservations` lists the orders that have)."
            )
        outcome = run_lines(
            uow,
            [Take(r.batch_code, r.reserved_ml) for r in held],
            lambda take, stamp: uow.changes.unreserve(
                take.code, order_id=order, expected_version=None, stamp=stamp
            ),
            stamps,
            after_line,
        )
        if not isinstance(outcome, LineRefused):
            uow.commit()
            return OrderUnreserved(order, request_id, outcome)
    # Only when the order's last litres on a batch were taken or let go meanwhile.
    raise PlanNoLongerHolds(
        f"The reservations of {order} changed while they were being let go (batch "
        f"{outcome.take.code}); nothing was let go. Run it again.",
        None,
    )


@dataclass(frozen=True, slots=True)
class ReservationNow:
    """A reservation with its batch's expiry and status now, and why it may not last
    until its day (None: it will, as far as the batch can tell now)."""

    reservation: Reservation
    expires_at: datetime
    status: BatchStatus
    risk: str | None

    @property
    def at_risk(self) -> bool:
        return self.risk is not None


def reservations_now(
    database: Database, *, order_id: str | None = None, now: datetime | None = None
) -> list[ReservationNow]:
    """Every reservation (or `order_id`'s), first-expiring batch first."""
    order = validate_order_id(order_id)
    now = decision_time(database, now)
    with database.unit_of_work() as uow:
        settings = settings_from(uow.settings.all())
        held = uow.reservations.all() if order is None else uow.reservations.for_order(order)
        batches = {code: uow.batches.get_by_code(code) for code in {r.batch_code for r in held}}
    zone = settings.zone
    listed = []
    for reservation in held:
        batch = batches[reservation.batch_code]
        if batch is None:  # reservations reference their batch, and batches stay
            raise RuntimeError(f"a reservation names batch {reservation.batch_code}, not stored")
        status = batch.status(now, zone, settings.near_expiry_days)
        risk = risk_of(batch.expires_at, status, reservation.planned_for, zone)
        listed.append(ReservationNow(reservation, batch.expires_at, status, risk))
    return listed
