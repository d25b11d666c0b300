"""Take litres from a batch for a production order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_consume


@logged_action("consume")
def consume(
    database: Database,
    code: str,
    liters: str | Decimal,
    *,
    actor: Actor,
    order_id: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Batch:
    """Decrement the batch in one guarded statement and audit it in the same transaction.

    With `expected_version` (a dialog that showed the operator a state) a stale version is a
    VersionConflict carrying the current state. Without it (scripts, scanner fast path) the
    guard is only "consumable, with enough left": the database re-checks it under the row
    lock, so concurrent consumers never oversell and never need to retry.
    """
    now = as_utc(now) if now else utc_now()
    amount = parse_liters(liters)
    order = validate_order_id(order_id)
    code = code.strip()
    milliliters = to_milliliters(amount)
    stamp = actor.stamp(now)
    with database.unit_of_work(write=True) as uow:
        batch = uow.batches.consume(
            code, milliliters, expected_version=expected_version, stamp=stamp
        )
        if batch is None:
            current = uow.batches.get_by_code(code)
            raise refusal_for_consume(
                current, code, liters=amount, expected_version=expected_version, now=now
            )
        uow.audit.add(batch, AuditAction.CONSUME, stamp, liters_ml=milliliters, order_id=order)
        uow.commit()
    return batch
