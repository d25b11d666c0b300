"""The orders side of an office PC: reserving milk for an order's plant day, consuming
for an order (which draws on its reservations first), and letting an order's
reservations go, through the same services as `orders reserve|consume|unreserve`.

The PCs of a run share a dozen orders, so one PC consumes what another reserved, two
PCs draw on one reservation at once, and a PC lets go of an order whose litres another
PC just took. Order ids carry the run's number where the date usually stands, so a
run's orders never reach batches of an older run in the same scratch database.
"""

from __future__ import annotations

from datetime import date, timedelta

from dairy_desktop.domain.errors import NotFound
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.services.orders_consume import OrderConsumed, consume_for_order
from dairy_desktop.services.orders_reserve import OrderReserved, reserve_for_order
from dairy_desktop.services.orders_unreserve import OrderUnreserved, unreserve_order
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate.config import THINK_S
from dairy_desktop.simulate.desk import Desk

ORDERS = 12  # shared by every PC of a run
CHOSEN_SHARE = 0.25  # `--from`: the operator names the batch instead of taking FEFO's
# An order's milk: hundreds of litres, a large share of a delivery (500-5,000 L), so that
# the first-expiring batches end up promised and the PCs run into each other's orders.
RESERVE_ML = (20_000, 300_000)
CONSUME_ML = (5_000, 80_000)


class ReservationWork(Desk):
    def __init__(self, session: AppSession, run: str, seed: int) -> None:
        super().__init__(session, run, seed)
        # The orders this PC reserved for (another PC may have used them up since).
        self._reserved_for: set[str] = set()

    def reserve(self) -> None:
        order, day = self._shared_order(), self._planned_day()
        wanted = self.rng.randint(*RESERVE_ML)
        chosen = self._chosen(wanted)
        self._wait(THINK_S)
        reserved: OrderReserved = self.tally.run(
            "reserve",
            lambda: reserve_for_order(
                self.session.database,
                order,
                from_milliliters(wanted),
                day,
                actor=self.session.actor.for_action(),
                lines=chosen,
                now=self.session.now(),
            ),
        )
        self.tally.reserved_ml += wanted
        self.tally.lines["reserve"] += len(reserved.lines)
        self._reserved_for.add(order)
        for line in reserved.lines:
            self._remember(line.changed.batch)

    def consume_for_order(self) -> None:
        mine = sorted(self._reserved_for)
        # Mostly an order this PC reserved for (it draws on that reservation first).
        order = self.rng.choice(mine) if mine and self.rng.random() < 0.7 else self._shared_order()
        wanted = self.rng.randint(*CONSUME_ML)
        chosen = self._chosen(wanted)
        self._wait(THINK_S)
        consumed: OrderConsumed = self.tally.run(
            "order consume",
            lambda: consume_for_order(
                self.session.database,
                order,
                from_milliliters(wanted),
                actor=self.session.actor.for_action(),
                lines=chosen,
                now=self.session.now(),
            ),
        )
        self.tally.consumed_ml += wanted
        self.tally.lines["consume"] += len(consumed.lines)
        for changed in consumed.lines:
            self._remember(changed.batch)

    def unreserve(self) -> None:
        mine = sorted(self._reserved_for)
        if not mine:
            return self.reserve()
        order = self.rng.choice(mine)
        self._reserved_for.discard(order)
        try:
            released: OrderUnreserved = self.tally.run(
                "unreserve",
                lambda: unreserve_order(
                    self.session.database,
                    order,
                    actor=self.session.actor.for_action(),
                    now=self.session.now(),
                ),
            )
        except NotFound:
            # Another PC consumed or let go of its last litres first: exit 4, nothing done.
            self.tally.refused["unreserve"] += 1
            self.tally.refusals["NotFound"] += 1
            return None
        self.tally.unreserved_ml += sum(c.event.liters_ml or 0 for c in released.lines)
        self.tally.lines["unreserve"] += len(released.lines)
        for changed in released.lines:
            self._remember(changed.batch)
        return None

    # helpers
    def _shared_order(self) -> str:
        number = self.run.split("-")[1]  # SIM-00000007 -> 00000007
        return f"ORDER-{number}-{self.rng.randrange(ORDERS):04d}"

    def _planned_day(self) -> date:
        # Tomorrow or the day after in UTC: never before the plant's today, in any zone.
        return (self.session.now() + timedelta(days=self.rng.randint(1, 2))).date()

    def _chosen(self, wanted: int) -> list[tuple[str, str]] | None:
        """`--from CODE:L` for one of the first-expiring usable batches, or None (FEFO)."""
        if self.rng.random() >= CHOSEN_SHARE:
            return None
        target = self._pick_fifo(self._usable(self.session.now()))
        if target is None:
            return None
        return [(target.code, str(from_milliliters(wanted)))]
