"""The plan over the in-memory database: the same counting rules as the stored ones."""

from __future__ import annotations

from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.plan import load_plan
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import NOW, batch_in


def test_every_status_is_counted_or_left_out_as_the_plan_says(database: FakeDatabase) -> None:
    for number, status in enumerate(BatchStatus, start=1):
        batch_in(database, status, number, now=NOW)

    plan = load_plan(database, days=12, now=NOW)

    # Fresh, near expiry, expires today, awaiting QA and on hold: 10 L each. Expired, empty,
    # rejected, recalled and deleted milk is not planned.
    assert sum(day.batches for day in plan.days) == 5
    assert sum(day.available_ml for day in plan.days) == 50_000
    assert sum(day.on_hold for day in plan.days) == 1
    assert sum(day.awaiting_qa for day in plan.days) == 1
