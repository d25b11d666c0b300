"""Take litres from a batch for a production order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.codes import validate_order_id
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_consume
from dairy_desktop.services.reused_request_id import same_change_or_refuse


@logged_action("consume")
def consume_once(
    database: Database,
    code: str,
    liters: str | Decimal,
    *,
    actor: Actor,
    order_id: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Decrement the batch in one guarded statement, audited in the same transaction; the
    result says whether the actor's request id had been recorded already (then nothing
    changed and this is the first result again).

    With `expected_version` (a dialog that showed the operator a state) a stale version is a
    VersionConflict carrying the current state. Without it (scripts, scanner fast path) the
    guard is only "consumable, with enough left": the database re-checks it under the row
    lock, so concurrent consumers never oversell and never need to retry. `now` is the PC's
    time, which PostgreSQL ignores: its own clock decides expiry there.
    """
    now = as_utc(now) if now else utc_now()
    amount = parse_liters(liters)
    order = validate_order_id(order_id)
    code = code.strip()
    milliliters = to_milliliters(amount)
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = uow.changes.consume(
            code,
            milliliters,
            expected_version=expected_version,
            order_id=order,
            stamp=actor.stamp(now),
        )
        if isinstance(outcome, Refused):
            raise refusal_for_consume(
                outcome.current,
                code,
                liters=amount,
                expected_version=expected_version,
                now=outcome.at,
                order_id=order,
                reservations=uow.reservations.for_batch(code),
            )
        uow.commit()
    return same_change_or_refuse(
        outcome, AuditAction.CONSUME, code, liters_ml=milliliters, order_id=order
    )


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
    """consume_once(), giving the batch as the consume left it."""
    return consume_once(
        database,
        code,
        liters,
        actor=actor,
        order_id=order_id,
        expected_version=expected_version,
        now=now,
    ).batch
