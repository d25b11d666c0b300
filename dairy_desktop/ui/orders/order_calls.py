"""What the order dialogs and the Reservations window ask of the services.

Plain Python run on a worker: plain values in, plain values out. Each change is recorded
as the session's operator on this PC with the dialog's request id, at the database
server's time as this PC knows it. A protocol, so tests can hand in a stand-in (a slow
link, a failure) and the window hands in the session adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from dairy_desktop.domain.fefo import Candidate
from dairy_desktop.services.consume_fefo_check import BatchForOrder, batch_for_order
from dairy_desktop.services.orders_consume import OrderConsumed, consume_for_order
from dairy_desktop.services.orders_pick import OrderPick, candidates_for_order, pick_for_order
from dairy_desktop.services.orders_reserve import OrderReserved, reserve_for_order
from dairy_desktop.services.orders_unreserve import (
    OrderUnreserved,
    ReservationNow,
    reservations_now,
    unreserve_order,
)
from dairy_desktop.services.reserve_proposal import reserve_proposal

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession

# (code, litres "12.500", version seen): one line of an edited split.
SplitChoice = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Proposal:
    """FEFO's plan for an order and every batch it may take from (for editing the split
    and for the FEFO warning)."""

    pick: OrderPick
    candidates: tuple[Candidate, ...]


class OrderCalls(Protocol):
    def proposal(self, order_id: str, liters: str) -> Proposal: ...

    def consume(
        self, order_id: str, liters: str, lines: Sequence[SplitChoice], *, request_id: str
    ) -> OrderConsumed: ...

    def batch_for_order(self, code: str, order_id: str | None) -> BatchForOrder | None: ...

    def reservations(self) -> list[ReservationNow]: ...

    def reserve_proposal(self, order_id: str, liters: str, planned_for: date) -> OrderPick: ...

    def reserve(
        self, order_id: str, liters: str, planned_for: date, *, request_id: str
    ) -> OrderReserved: ...

    def unreserve(self, order_id: str, *, request_id: str) -> OrderUnreserved: ...


@dataclass(frozen=True, slots=True)
class SessionOrderCalls:
    session: AppSession

    def proposal(self, order_id: str, liters: str) -> Proposal:
        database, now = self.session.database, self.session.now()
        pick = pick_for_order(database, order_id, liters, now=now)
        candidates = candidates_for_order(database, pick.order_id, now=now)
        return Proposal(pick, tuple(candidates))

    def consume(
        self, order_id: str, liters: str, lines: Sequence[SplitChoice], *, request_id: str
    ) -> OrderConsumed:
        session = self.session
        return consume_for_order(
            session.database,
            order_id,
            liters,
            lines=list(lines),
            actor=session.actor.for_action(request_id),
            now=session.now(),
        )

    def batch_for_order(self, code: str, order_id: str | None) -> BatchForOrder | None:
        return batch_for_order(self.session.database, code, order_id, now=self.session.now())

    def reservations(self) -> list[ReservationNow]:
        return reservations_now(self.session.database, now=self.session.now())

    def reserve_proposal(self, order_id: str, liters: str, planned_for: date) -> OrderPick:
        session = self.session
        return reserve_proposal(session.database, order_id, liters, planned_for, now=session.now())

    def reserve(
        self, order_id: str, liters: str, planned_for: date, *, request_id: str
    ) -> OrderReserved:
        session = self.session
        return reserve_for_order(
            session.database,
            order_id,
            liters,
            planned_for,
            actor=session.actor.for_action(request_id),
            now=session.now(),
        )

    def unreserve(self, order_id: str, *, request_id: str) -> OrderUnreserved:
        session = self.session
        return unreserve_order(
            session.database,
            order_id,
            actor=session.actor.for_action(request_id),
            now=session.now(),
        )
