"""What a milk delivery looks like in the simulation, and the batches a run starts with."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from dairy_desktop.db.database import Database
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.plant_settings import get_plant_settings
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.register import register_batch
from dairy_desktop.simulate.codes import SETUP_WORKSTATION, batch_code, workstation_name

EXPIRED_SHARE = 0.05  # deliveries entered late, already expired: scanning them is refused


@dataclass(frozen=True)
class Delivery:
    liters: Decimal
    shelf_life_days: int
    received_at: datetime
    fat_percent: str


def random_delivery(
    rng: random.Random, *, expired_share: float = EXPIRED_SHARE, now: datetime | None = None
) -> Delivery:
    now = now or utc_now()
    if rng.random() < expired_share:
        shelf_life, received = 1, now - timedelta(days=2, minutes=rng.randint(0, 600))
    else:
        shelf_life, received = rng.randint(2, 10), now - timedelta(minutes=rng.randint(0, 360))
    return Delivery(
        liters=Decimal(rng.randint(500_000, 5_000_000)) / 1000,
        shelf_life_days=shelf_life,
        received_at=received,
        fat_percent=f"{rng.randint(330, 450) / 100:.2f}",
    )


def stock_up(database: Database, run: str, count: int, seed: int) -> Counter[str]:
    """Register the batches a run starts with (codes 0000 … count-1) and pass them through
    QA, audited like any other: the set-up's audit events per action."""
    rng = random.Random(f"stock-{seed}")
    actor = Actor(operator="sim-setup", workstation=workstation_name(run, SETUP_WORKSTATION))
    tests = get_plant_settings(database).required_tests
    events: Counter[str] = Counter()
    for sequence in range(count):
        # The opening stock is usable, or a small run would have nothing to consume.
        delivery = random_delivery(rng, expired_share=0.0)
        registered = register_batch(
            database,
            code=batch_code(run, sequence),
            liters=delivery.liters,
            shelf_life_days=delivery.shelf_life_days,
            received_at=delivery.received_at,
            fat_percent=delivery.fat_percent,
            actor=actor.for_action(),
        )
        events["register"] += 1
        if registered.batch.qa_state is not QaState.PENDING:
            continue
        for test in tests:
            record_qa_once(
                database,
                registered.batch.code,
                test=test,
                result="pass",
                analyst="sim-lab",
                actor=actor.for_action(),
            )
            events["qa"] += 1
    return events
