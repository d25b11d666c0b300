"""One office PC: what its operator does, action after action, until the time is up.

Everything random comes from one `random.Random(seed + index)`, so a run is repeatable per
seed as far as each PC's choices go (the interleaving between PCs is up to the OS).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime

from dairy_desktop.domain.allowances import can_consume
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.errors import DatabaseUnavailable, RuleRefused
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate.codes import batch_code
from dairy_desktop.simulate.config import PAUSE_S, RECHECK_S, THINK_S
from dairy_desktop.simulate.deliveries import random_delivery
from dairy_desktop.simulate.dialog import submit_with_reloads
from dairy_desktop.simulate.tally import Tally

# How often each action is chosen (relative weights): mostly consuming, as in a plant office.
ACTIONS = {"browse": 15, "consume": 50, "scan": 15, "register": 4, "delete": 3, "restore": 3}
FIFO_SHARE = 0.7  # operators take one of the batches that expire first: the contended rows
ODD_SCAN_SHARE = 0.1  # a scan of whatever batch is at hand: deleted, empty or expired ones too
GREEDY_SCAN_SHARE = 0.1  # asking for more than the batch holds
DUPLICATE_SHARE = 0.05  # a delivery note entered twice
UNAVAILABLE_BACKOFF_S = 0.5


class Workstation:
    def __init__(self, session: AppSession, run: str, codes: range, seed: int) -> None:
        self.session = session
        self.run = run
        self.rng = random.Random(seed)
        self.tally = Tally(session.actor.workstation)
        self.view: list[Batch] = []  # the window's table as last listed
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
        except RuleRefused:
            pass  # counted; the operator reads the message and carries on
        except DatabaseUnavailable:
            time.sleep(UNAVAILABLE_BACKOFF_S)  # counted; the window would show its banner
        except Exception as error:
            self.tally.error(name, error)

    # the actions
    def browse(self) -> None:
        listing = self.tally.run("list", self.session.listing)
        self.view = [b for b in listing.batches if b.code.startswith(f"{self.run}-")]

    def consume(self) -> None:
        target = self._pick_fifo(self._usable(utc_now()))
        if target is None:
            return self.browse()
        loaded = self._open(target.code)
        wanted = min(self.rng.randint(500, 40_000), loaded.remaining_ml)  # "take all" if less
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
            still_makes_sense=lambda b: _can_consume(b, utc_now()) and b.remaining_ml >= wanted,
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
    def _open(self, code: str) -> Batch:
        """Opening a dialog reads the batch: the version the operator will submit against."""
        return self.tally.run("open", lambda: self.session.batch(code))

    def _usable(self, now: datetime) -> list[Batch]:
        return [b for b in self.view if _can_consume(b, now)]

    def _pick_fifo(self, batches: list[Batch]) -> Batch | None:
        if batches and self.rng.random() < FIFO_SHARE:
            return self.rng.choice(batches[:3])  # the listing is ordered by expiry
        return self._pick_any(batches)

    def _pick_any(self, batches: list[Batch]) -> Batch | None:
        return self.rng.choice(batches) if batches else None

    def _remember(self, batch: Batch) -> None:
        """The window updates the row it just changed."""
        for i, shown in enumerate(self.view):
            if shown.code == batch.code:
                self.view[i] = batch
                return
        self.view.append(batch)

    def _next_code(self) -> str | None:
        sequence = next(self._codes, None)
        return None if sequence is None else batch_code(self.run, sequence)

    def _order(self) -> str | None:
        if self.rng.random() < 0.2:
            return None  # orders are optional
        return f"ORDER-{utc_now():%Y%m%d}-{self.rng.randint(0, 9999):04d}"

    def _wait(self, bounds: tuple[float, float]) -> None:
        time.sleep(self.rng.uniform(*bounds))


def _can_consume(batch: Batch, now: datetime) -> bool:
    # The plant's zone only places the expiry bands, and every band allows the same.
    return can_consume(batch.status(now, UTC))
