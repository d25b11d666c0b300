"""Hold, release and recall: stop a batch's use for a while, or for good, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.errors import DairyError
from dairy_desktop.domain.reasons import required_reason
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Changes, Database
from dairy_desktop.services.refusals import (
    refusal_for_hold,
    refusal_for_recall,
    refusal_for_release,
)
from dairy_desktop.services.reused_request_id import same_change_or_refuse

_Change = Callable[..., Changed | Refused]
_Explain = Callable[..., DairyError]

# Each action's change, its refusal, and the example a missing reason is told.
_ACTIONS: dict[AuditAction, tuple[Callable[[Changes], _Change], _Explain, str]] = {
    AuditAction.HOLD: (lambda c: c.hold, refusal_for_hold, "awaiting supplier's lab report"),
    AuditAction.RELEASE: (lambda c: c.release, refusal_for_release, "supplier report clean"),
    AuditAction.RECALL: (lambda c: c.recall, refusal_for_recall, "supplier recall notice 12"),
}


def _change(
    database: Database,
    action: AuditAction,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None,
    now: datetime | None,
) -> Changed:
    pick, explain, example = _ACTIONS[action]
    at = as_utc(now) if now else utc_now()
    why = required_reason(reason, example=example)
    code = code.strip()
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = pick(uow.changes)(
            code, expected_version=expected_version, reason=why, stamp=actor.stamp(at)
        )
        if isinstance(outcome, Refused):
            raise explain(outcome.current, code, expected_version=expected_version)
        uow.commit()
    return same_change_or_refuse(outcome, action, code, reason=why)


@logged_action("hold")
def hold_once(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Put the batch on hold: not consumable until released. Refused if it is deleted,
    recalled or held already; a request id already recorded changes nothing (replayed)."""
    return _change(
        database,
        AuditAction.HOLD,
        code,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        now=now,
    )


@logged_action("release")
def release_once(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Lift the batch's hold (only a hold: QA releases with a passing result). Refused if it
    is not held or is recalled."""
    return _change(
        database,
        AuditAction.RELEASE,
        code,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        now=now,
    )


@logged_action("recall")
def recall_once(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Recall the batch for good (a deleted one too: its milk was used). Refused only if it
    is recalled already. lifecycle_reads.orders_using() tells which orders used it."""
    return _change(
        database,
        AuditAction.RECALL,
        code,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        now=now,
    )
