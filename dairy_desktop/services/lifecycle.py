"""Soft delete and restore, each with a reason, each audited."""

from __future__ import annotations

from datetime import datetime

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.reasons import required_reason
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_lifecycle
from dairy_desktop.services.reused_request_id import same_change_or_refuse


def validate_reason(reason: str) -> str:
    return required_reason(reason)


def _change_deleted(
    database: Database,
    code: str,
    *,
    delete: bool,
    reason: str,
    actor: Actor,
    expected_version: int | None,
    now: datetime | None,
) -> Changed:
    at = as_utc(now) if now else utc_now()
    why = validate_reason(reason)
    code = code.strip()
    with database.unit_of_work(write=True, single_change=True) as uow:
        change = uow.changes.delete if delete else uow.changes.restore
        outcome = change(code, expected_version=expected_version, reason=why, stamp=actor.stamp(at))
        if isinstance(outcome, Refused):
            raise refusal_for_lifecycle(
                outcome.current,
                code,
                delete=delete,
                expected_version=expected_version,
                now=outcome.at,
            )
        uow.commit()
    action = AuditAction.DELETE if delete else AuditAction.RESTORE
    return same_change_or_refuse(outcome, action, code, reason=why)


@logged_action("delete")
def delete_once(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Soft-delete, audited with the reason; a request id already recorded changes nothing
    and gives the first result (replayed)."""
    return _change_deleted(
        database,
        code,
        delete=True,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        now=now,
    )


@logged_action("restore")
def restore_once(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Undo a soft delete, audited with the reason; replayed like delete_once()."""
    return _change_deleted(
        database,
        code,
        delete=False,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        now=now,
    )


def delete_batch(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Batch:
    return delete_once(
        database, code, reason=reason, actor=actor, expected_version=expected_version, now=now
    ).batch


def restore_batch(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Batch:
    return restore_once(
        database, code, reason=reason, actor=actor, expected_version=expected_version, now=now
    ).batch
