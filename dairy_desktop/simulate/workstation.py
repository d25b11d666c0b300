"""One office PC: what its operator does, action after action, until the time is up.

Everything random comes from one `random.Random(seed + index)`, so a run is repeatable per
seed as far as each PC's choices go (the interleaving between PCs is up to the OS).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.errors import DatabaseUnavailable, PlanNoLongerHolds, RuleRefused
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate.codes import batch_code
from dairy_desktop.simulate.config import PAUSE_S, RECHECK_S, THINK_S
from dairy_desktop.simulate.deliveries import random_delivery
from dairy_desktop.simulate.desk import can_consume_now
from dairy_desktop.simulate.dialog import submit_with_reloads
from dairy_desktop.simulate.lifecycle_work import LifecycleWork
from dairy_desktop.simulate.reservation_work import ReservationWork
from dairy_desktop.simulate.tally import Tally

# How often each action is chosen (relative weights): mostly consuming, as in a plant office.
# Every delivery waits for its lab result (the plant's QA gate is on), so QA keeps pace with
# registering; holds, write-offs and corrections are rarer, a recall rarest of all. Orders
# reserve their milk for a plant day, consume it (their reservation first) and now and then
# let it go.
ACTIONS = {
    "browse": 15,
    "consume": 50,
    "scan": 15,
    "register": 4,
    "delete": 3,
    "restore": 3,
    "qa": 5,
    "hold": 2,
    "release": 2,
    "recall": 0.3,
    "dispose": 3,
    "reverse": 2,
    "reserve": 6,
    "order consume": 6,
    "unreserve": 3,
}
ODD_SCAN_SHARE = 0.1  # a scan of whatever batch is at hand: deleted, empty, blocked ones too
GREEDY_SCAN_SHARE = 0.1  # asking for more than the batch holds
DUPLICATE_SHARE = 0.05  # a delivery note entered twice
UNAVAILABLE_BACKOFF_S = 0.5


class Workstation(LifecycleWork, ReservationWork):
    def __init__(self, session: AppSession, run: str, codes: range, seed: int) -> None:
        super().__init__(session, run, seed)
        self._codes = iter(codes)

    def work_for(self, seconds: float) -> Tally:
        deadline = time.monotonic() + seconds
        actions: dict[str, Callable[[], None]] = {
            "browse": self.browse,
            "consume": self.consume,
            "scan": self.scan,
            "register": self.register,
            "delete": self.delete,
            "restore": self.restore,
            "qa": self.qa,
            "hold": self.hold,
            "release": self.release,
            "recall": self.recall,
            "dispose": self.dispose,
            "reverse": self.reverse,
            "reserve": self.reserve,
            "order consume": self.consume_for_order,
            "unreserve": self.unreserve,
        }
        names, weights = list(ACTIONS), list(ACTIONS.values())
        self._attempt("browse", self.browse)
        while time.monotonic() < deadline:
            name = self.rng.choices(names, weights)[0]
            self._attempt(name, actions[name])
            self._wait(PAUSE_S)
        return self.tally

    def _attempt(self, name: str, action: Callable[[], None]) -> None:
        try:
            action()
        except (RuleRefused, PlanNoLongerHolds):
            pass  # counted; the operator reads the message and carries on
        except DatabaseUnavailable:
            time.sleep(UNAVAILABLE_BACKOFF_S)  # counted; the window would show its banner
        except Exception as error:
            self.tally.error(name, error)

    # the actions
    def consume(self) -> None:
        target = self._pick_fifo(self._usable(utc_now()))
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        # The dialog offers what is not reserved for other orders ("take all" if less).
        wanted = min(self.rng.randint(500, 40_000), loaded.available_ml)
        if wanted <= 0:
            self.tally.gave_up += 1  # every litre is promised to orders: nothing to offer
            return None
        order = self._order()
        self._wait(THINK_S)

        def submit(shown: Batch) -> Batch:
            liters = from_milliliters(wanted)
            return self.session.consume(
                shown.code, liters, order_id=order, expected_version=shown.version
            )

        done = submit_with_reloads(
            self.tally,
            "consume",
            loaded,
            still_makes_sense=lambda b: can_consume_now(b, utc_now()) and b.available_ml >= wanted,
            submit=submit,
            recheck=lambda: self._wait(RECHECK_S),
        )
        if done is not None:
            self.tally.consumed_ml += wanted
            self._remember(done)
        return None

    def scan(self) -> None:
        odd = self.rng.random() < ODD_SCAN_SHARE
        target = self._pick_any(self.view) if odd else self._pick_fifo(self._usable(utc_now()))
        if target is None:
            return self.browse()
        wanted = self.rng.randint(500, 40_000)
        if self.rng.random() < GREEDY_SCAN_SHARE:
            wanted += target.remaining_ml
        batch = self.tally.run(
            "scan",
            lambda: self.session.consume(
                target.code, from_milliliters(wanted), order_id=self._order(), expected_version=None
            ),
        )
        self.tally.consumed_ml += wanted
        self._remember(batch)
        return None

    def register(self) -> None:
        duplicate = self.view and self.rng.random() < DUPLICATE_SHARE
        code = self.rng.choice(self.view).code if duplicate else self._next_code()
        if code is None:
            return self.browse()  # this PC has used up its share of the run's codes
        delivery = random_delivery(self.rng)
        self._wait(THINK_S)
        registered = self.tally.run(
            "register",
            lambda: self.session.register(
                code=code,
                liters=delivery.liters,
                shelf_life_days=delivery.shelf_life_days,
                received_at=delivery.received_at,
                fat_percent=delivery.fat_percent,
            ),
        )
        self._remember(registered.batch)
        return None

    def delete(self) -> None:
        self._change_deleted("delete", [b for b in self.view if not b.is_deleted], delete=True)

    def restore(self) -> None:
        self._change_deleted("restore", [b for b in self.view if b.is_deleted], delete=False)

    def _change_deleted(self, operation: str, candidates: list[Batch], *, delete: bool) -> None:
        target = self._pick_any(candidates)
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        self._wait(THINK_S)  # typing the reason
        change = self.session.delete if delete else self.session.restore
        reason = "simulated: sour on inspection" if delete else "simulated: deleted by mistake"
        done = submit_with_reloads(
            self.tally,
            operation,
            loaded,
            still_makes_sense=lambda b: b.is_deleted != delete,
            submit=lambda shown: change(shown.code, reason, shown.version),
            recheck=lambda: self._wait(RECHECK_S),
        )
        if done is not None:
            self._remember(done)
        return None

    # helpers
    def _next_code(self) -> str | None:
        sequence = next(self._codes, None)
        return None if sequence is None else batch_code(self.run, sequence)
