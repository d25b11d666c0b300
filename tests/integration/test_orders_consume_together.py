"""Several PCs taking FEFO for their orders from the same batches at once: each gets all of
its litres or none, nobody waits for another in a circle, and the books balance."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import NotEnoughStock, PlanNoLongerHolds
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.orders_consume import consume_for_order
from dairy_desktop.services.queries import get_batch
from tests.integration.orders_stock import actor, batch_expiring, code, now

WORKERS = 8
EACH = "30"  # 8 x 30 L asked of 190 L: six orders can be served, two cannot


def test_concurrent_fefo_consumes_never_split_an_order_or_oversell(database: Database) -> None:
    start = now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 2, "50", start=start, expires_in_days=2)
    batch_expiring(database, 3, "100", start=start, expires_in_days=3)
    gate = threading.Barrier(WORKERS)

    def order(n: int) -> str:
        gate.wait(timeout=30)
        try:
            consume_for_order(database, f"ORDER-20251204-{n:04d}", EACH, actor=actor(f"pc-{n}"))
        except (NotEnoughStock, PlanNoLongerHolds) as refused:
            return type(refused).__name__
        return "done"

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(order, range(1, WORKERS + 1)))
    served = outcomes.count("done")
    # Contenders queue on the first-expiring batch and go on to the next rather than fail:
    # every order the stock can cover is served, and only the rest are refused as short.
    assert sorted(outcomes) == ["NotEnoughStock"] * 2 + ["done"] * 6
    remaining = sum(get_batch(database, code(n)).remaining_ml for n in (1, 2, 3))
    assert remaining == 190_000 - served * 30_000 >= 0
    events = list_audit(database, AuditFilter(action=AuditAction.CONSUME))
    by_order: dict[str | None, int] = {}
    for event in events:
        by_order[event.order_id] = by_order.get(event.order_id, 0) + (event.liters_ml or 0)
    # Every order that got anything got all of it, and nobody else got a drop.
    assert sorted(by_order.values()) == [30_000] * served
