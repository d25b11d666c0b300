"""Correct a consume or a dispose by reversing it: a new event puts the litres back.

The original event is never edited; the reversal is linked to it (reverses_id), and a
history read marks the original as reversed.
"""

from __future__ import annotations

from datetime import datetime

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.reasons import required_reason
from dairy_desktop.domain.whole_number import parse_whole_number
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_reverse
from dairy_desktop.services.reused_request_id import same_change_or_refuse

# Audit ids are 64-bit on both databases.
MAX_EVENT_ID = 2**63 - 1


def validate_event_id(value: int | str) -> int:
    return parse_whole_number(
        value, label="Event id", field="event_id", minimum=1, maximum=MAX_EVENT_ID
    )


@logged_action("reverse")
def reverse_once(
    database: Database,
    event_id: int | str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Put back the litres of consume or dispose event `event_id`, audited as `reverse`
    with the reason; the batch's version bumps (`expected_version` is the batch's).
    Refused (RuleRefused) for a reversal, an event of another action, an event reversed
    already, or a deleted or recalled batch; NotFound for no such event. A request id
    already recorded changes nothing (replayed)."""
    at = as_utc(now) if now else utc_now()
    number = validate_event_id(event_id)
    why = required_reason(reason, example="consumed from the wrong batch")
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = uow.changes.reverse(
            number, expected_version=expected_version, reason=why, stamp=actor.stamp(at)
        )
        if isinstance(outcome, Refused):
            # The guard decided; the event as it is now (reversed by whom?) explains it.
            raise refusal_for_reverse(
                outcome.current,
                uow.audit.event_by_id(number),
                number,
                expected_version=expected_version,
            )
        uow.commit()
    return same_change_or_refuse(outcome, AuditAction.REVERSE, None, reverses_id=number, reason=why)
