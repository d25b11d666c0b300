"""Soft delete and restore, each with a reason, each audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import BatchRow
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.errors import BatchDeleted, BatchNotDeleted, InvalidInput
from dairy_desktop.domain.text import MAX_REASON_LENGTH, require_storable_text
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.refusals import missing_or_stale


def validate_reason(reason: str) -> str:
    text = require_storable_text(reason, field="reason", label="reason").strip()
    if not text:
        raise InvalidInput("A reason is required (e.g. 'sour on inspection').", field="reason")
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidInput(
            f"The reason is too long ({len(text)} characters; at most {MAX_REASON_LENGTH}).",
            field="reason",
        )
    return text


def _change_deleted(
    database: Database,
    code: str,
    *,
    delete: bool,
    reason: str,
    actor: Actor,
    expected_version: int | None,
    now: datetime | None,
) -> Batch:
    at = as_utc(now) if now else utc_now()
    why = validate_reason(reason)
    code = code.strip()
    conditions: list[ColumnElement[bool]] = [
        BatchRow.deleted_at.is_(None) if delete else BatchRow.deleted_at.is_not(None)
    ]
    if expected_version is not None:
        conditions.append(BatchRow.version == expected_version)
    values = {
        "deleted_at": at if delete else None,
        "updated_at": at,
        "updated_by": actor.operator,
        "updated_workstation": actor.workstation,
    }
    with database.unit_of_work(write=True) as uow:
        batch = uow.batches.conditional_update(code, conditions, values)
        if batch is None:
            refusal = missing_or_stale(uow.batches.get_by_code(code), code, expected_version)
            if refusal is not None:
                raise refusal
            if delete:
                raise BatchDeleted(f"Batch {code} is already deleted; nothing was changed.")
            raise BatchNotDeleted(f"Batch {code} is not deleted; there is nothing to restore.")
        uow.audit.add(
            batch,
            AuditAction.DELETE if delete else AuditAction.RESTORE,
            at=at,
            reason=why,
            operator=actor.operator,
            workstation=actor.workstation,
            correlation_id=actor.correlation_id,
        )
        uow.commit()
    return batch


@logged_action("delete")
def delete_batch(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Batch:
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
def restore_batch(
    database: Database,
    code: str,
    *,
    reason: str,
    actor: Actor,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Batch:
    return _change_deleted(
        database,
        code,
        delete=False,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
        now=now,
    )
