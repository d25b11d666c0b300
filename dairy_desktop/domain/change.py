"""The outcome of one change to a batch: what it left, its audit event, and whether it was
only replayed (its request id was already stored, so nothing was changed this time)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaResult, QaState


@dataclass(frozen=True, slots=True)
class Changed:
    batch: Batch
    event: AuditEvent
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Refused:
    """A guarded change matched nothing: the batch as it is now (None: no such code) and the
    instant the guard was checked at (the database server's clock on PostgreSQL), from which
    the services explain why."""

    current: Batch | None
    at: datetime


def batch_after(event: AuditEvent, current: Batch) -> Batch:
    """The batch as `event` left it, rebuilt from the event and the batch as it is now: what
    a replayed change returns, the first result as nearly as the event tells it (the state
    an event does not record, such as a hold placed since, is the batch's current one)."""
    action = event.action
    deleted_at: datetime | None
    if action is AuditAction.DELETE:
        deleted_at = event.at
    elif action in (AuditAction.RECALL, AuditAction.RELEASE):
        # Both may act on a deleted batch: the event does not say whether it was.
        deleted_at = current.deleted_at
    else:
        # Every other change leaves (or needs) a batch that is not deleted.
        deleted_at = None
    held_at = current.held_at
    if action is AuditAction.HOLD:
        held_at = event.at
    elif action is AuditAction.RELEASE:
        held_at = None
    recalled_at = event.at if action is AuditAction.RECALL else current.recalled_at
    qa_state = current.qa_state
    if event.qa_state_after is not None:
        # register and qa events record the state they left: what the first result said.
        qa_state = QaState(event.qa_state_after)
    elif action is AuditAction.QA and event.qa_result == QaResult.FAIL:
        qa_state = QaState.REJECTED
    return dataclasses.replace(
        current,
        remaining_ml=event.remaining_after_ml,
        version=event.version_after,
        deleted_at=deleted_at,
        held_at=held_at,
        recalled_at=recalled_at,
        qa_state=qa_state,
        updated_at=event.at,
        updated_by=event.operator,
        updated_workstation=event.workstation,
    )
