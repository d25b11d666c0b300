"""What every action of a simulated office PC shares: its session, its dice, its counts, the
table as it last listed it, and the small habits of an operator (opening a dialog, thinking,
picking a batch)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from dairy_desktop.domain.allowances import can_consume
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate.tally import Tally

FIFO_SHARE = 0.7  # operators take one of the batches that expire first: the contended rows


class Desk:
    def __init__(self, session: AppSession, run: str, seed: int) -> None:
        self.session = session
        self.run = run
        self.rng = random.Random(seed)
        self.tally = Tally(session.actor.workstation)
        self.view: list[Batch] = []  # the window's table as last listed

    def browse(self) -> None:
        listing = self.tally.run("list", self.session.listing)
        self.view = [b for b in listing.batches if b.code.startswith(f"{self.run}-")]

    def _open(self, code: str) -> Batch:
        """Opening a dialog reads the batch: the version the operator will submit against."""
        return self.tally.run("open", lambda: self.session.batch(code))

    def _usable(self, now: datetime) -> list[Batch]:
        return [b for b in self.view if can_consume_now(b, now)]

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

    def _order(self) -> str | None:
        if self.rng.random() < 0.2:
            return None  # orders are optional
        return f"ORDER-{utc_now():%Y%m%d}-{self.rng.randint(0, 9999):04d}"

    def _wait(self, bounds: tuple[float, float]) -> None:
        time.sleep(self.rng.uniform(*bounds))


def can_consume_now(batch: Batch, now: datetime) -> bool:
    # The plant's zone only places the expiry bands, and every band allows the same.
    return can_consume(batch.status(now, UTC))
