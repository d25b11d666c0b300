"""Write litres off with a reason code: milk that left stock other than into an order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.disposal import DisposeReason, validated_disposal
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_dispose
from dairy_desktop.services.reused_request_id import same_change_or_refuse


@logged_action("dispose")
def dispose_once(
    database: Database,
    code: str,
    liters: str | Decimal | None,
    *,
    reason_code: str | DisposeReason,
    actor: Actor,
    note: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Take `liters` (None: all that remain) out of the batch, audited as `dispose` with the
    reason code and note, in one guarded statement. Allowed whatever the batch's QA, hold,
    recall or expiry, but not on a deleted batch, and a rejected batch's litres go only as
    `rejected-load` (which fits no other batch). `other` needs a note. A request id already
    recorded changes nothing (replayed)."""
    at = as_utc(now) if now else utc_now()
    amount = None if liters is None else parse_liters(liters)
    reason, text = validated_disposal(reason_code, note)
    milliliters = None if amount is None else to_milliliters(amount)
    code = code.strip()
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = uow.changes.dispose(
            code,
            milliliters,
            reason_code=reason,
            note=text,
            expected_version=expected_version,
            stamp=actor.stamp(at),
        )
        if isinstance(outcome, Refused):
            raise refusal_for_dispose(
                outcome.current,
                code,
                liters=amount,
                reason_code=reason,
                expected_version=expected_version,
                reservations=uow.reservations.for_batch(code),
            )
        uow.commit()
    # "All" sent again matches whatever it came to the first time.
    sent: dict[str, object] = {"reason_code": reason.value, "reason": text}
    if milliliters is not None:
        sent["liters_ml"] = milliliters
    return same_change_or_refuse(outcome, AuditAction.DISPOSE, code, **sent)
