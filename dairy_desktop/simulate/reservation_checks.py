"""The reservation check, judged from the audit order alone: were the promises kept?

Each batch's events are replayed in id order, keeping what every order holds on it. A
reserve may only promise litres nobody holds, and only while the batch can be used; a
consume takes the order's own reservation first and may never dip into other orders'
(a consume for no order, like a write-off, into none). At the end the replayed
reservations must be the table's rows, litres and planned days, and their total the
batch's reserved_ml. Written apart from `audit verify`'s reservation replay on purpose:
the two must not share a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dairy_desktop.simulate.gate_checks import Life
from dairy_desktop.simulate.snapshot import BatchState, Event, Reservations, Snapshot
from dairy_desktop.simulate.verdict import Check, liters_text, verdict

NAME = "reservations agree with the audit and never oversold"


@dataclass
class Promises:
    """One batch's reservations so far, as its events tell them."""

    held: Reservations = field(default_factory=dict)
    remaining: int = 0

    @property
    def total(self) -> int:
        return sum(ml for ml, _ in self.held.values())

    def own(self, order: str | None) -> int:
        return self.held[order][0] if order in self.held else 0

    def apply(self, event: Event, life: Life) -> str | None:
        """Apply `event`; why it broke a promise, or None."""
        litres, order = event.liters_ml or 0, event.order_id
        free = self.remaining - self.total
        problem = None
        if event.action == "register":
            self.remaining = litres
        elif event.action == "reserve":
            problem = self._reserve(event, litres, free, life)
        elif event.action == "unreserve":
            released = self.held.pop(order, None) if order else None
            if released is None or released[0] != litres:
                held = liters_text(released[0]) if released else "nothing"
                problem = f"lets go of {liters_text(litres)} for {order}, which held {held}"
        elif event.action in ("consume", "dispose"):
            own = self.own(order) if event.action == "consume" else 0
            if litres > free + own:
                problem = (
                    f"takes {liters_text(litres)} for {order or 'no order'} where only "
                    f"{liters_text(free + own)} were not promised to other orders"
                )
            self._draw(order, min(own, litres))
            self.remaining -= litres
        elif event.action == "reverse":
            self.remaining += litres
        return problem

    def _reserve(self, event: Event, litres: int, free: int, life: Life) -> str | None:
        order = event.order_id
        if order is None or event.reserved_for is None or litres <= 0:
            return "reserves without an order, a planned day or litres"
        why = life.blocked_because()
        self.held[order] = (self.own(order) + litres, event.reserved_for)
        if why is not None:
            return f"reserves {liters_text(litres)} for {order} while the batch was {why}"
        if litres > free:
            return (
                f"promises {liters_text(litres)} to {order} where only {liters_text(free)} "
                "were not promised already"
            )
        return None

    def _draw(self, order: str | None, draw: int) -> None:
        if order is None or not draw:
            return
        own, day = self.held[order]
        if own > draw:
            self.held[order] = (own - draw, day)
        else:
            del self.held[order]


def _differences(b: BatchState, replayed: Promises, stored: Reservations) -> list[str]:
    found = []
    if b.reserved_ml != replayed.total:
        found.append(
            f"reserved {liters_text(b.reserved_ml)} on the row, "
            f"{liters_text(replayed.total)} in the audit"
        )
    for order in sorted(stored.keys() | replayed.held.keys()):
        row, told = stored.get(order), replayed.held.get(order)
        if row != told:
            found.append(f"{order} holds {_shown(row)} in the table, {_shown(told)} in the audit")
    return found


def _shown(held: tuple[int, object] | None) -> str:
    return "nothing" if held is None else f"{liters_text(held[0])} for {held[1]}"


def reservations_kept(snapshot: Snapshot) -> Check:
    problems = []
    reserves = draws = 0
    for batch_id, b in snapshot.batches.items():
        life = Life(snapshot.gate_on, snapshot.required_tests)
        promises = Promises()
        for number, event in enumerate(snapshot.events.get(batch_id, []), start=1):
            reserves += event.action == "reserve"
            draws += event.action == "consume" and promises.own(event.order_id) > 0
            problem = promises.apply(event, life)
            if problem is not None:
                problems.append(f"batch {b.code}: audit event {number} (id {event.id}) {problem}")
            life.apply(event)
        differences = _differences(b, promises, snapshot.reservations.get(batch_id, {}))
        problems += [f"batch {b.code}: {difference}" for difference in differences]
    left = sum(len(held) for held in snapshot.reservations.values())
    return verdict(
        NAME,
        problems,
        f"{reserves} reserves and {draws} draws on them replayed; the {left} reservations "
        "left are the table's",
    )
