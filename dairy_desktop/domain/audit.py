"""Audit events: the append-only record of every change to a batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from dairy_desktop.domain.liters import from_milliliters


class AuditAction(StrEnum):
    REGISTER = "register"
    CONSUME = "consume"
    DELETE = "delete"
    RESTORE = "restore"
    QA = "qa"
    HOLD = "hold"
    RELEASE = "release"
    RECALL = "recall"
    DISPOSE = "dispose"
    REVERSE = "reverse"
    RESERVE = "reserve"
    UNRESERVE = "unreserve"


# What `audit reverse` may undo: the changes that took litres out of a batch.
REVERSIBLE = frozenset({AuditAction.CONSUME, AuditAction.DISPOSE})


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    at: datetime
    batch_code: str
    action: AuditAction
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int
    order_id: str | None
    operator: str
    workstation: str
    reason: str | None
    correlation_id: str | None
    # Added with the exactly-once and hash-chain rules; events written before carry None.
    request_id: str | None = None
    db_user: str | None = None
    prev_hash: str | None = None
    hash: str | None = None
    # Added with the lifecycle (hold, QA, write-offs, reversals); None on other actions.
    reason_code: str | None = None  # dispose: a domain.disposal.DisposeReason value
    reverses_id: int | None = None  # reverse: the consume or dispose event it undoes
    qa_test: str | None = None
    qa_result: str | None = None  # domain.qa.QaResult value
    qa_analyst: str | None = None
    qa_kit: str | None = None
    qa_sample_id: str | None = None
    # register and qa: the batch's QA state (domain.qa.QaState value) once the event was
    # applied, so the record itself says whether a batch started pending or what a result
    # left; None on other actions and on events stored before migration 0005.
    qa_state_after: str | None = None
    # reserve: the day the order plans to use the litres (migration 0006); None elsewhere.
    reserved_for: date | None = None
    # Not stored on the event (so not hashed): the id of the `reverse` event that undid this
    # one, filled in where history is read; None when it stands.
    reversed_by: int | None = None

    @property
    def is_reversed(self) -> bool:
        return self.reversed_by is not None

    @property
    def liters(self) -> Decimal | None:
        return None if self.liters_ml is None else from_milliliters(self.liters_ml)

    @property
    def remaining_after(self) -> Decimal:
        return from_milliliters(self.remaining_after_ml)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; every field left empty matches all. `since` is inclusive,
    `until` exclusive; codes and operators match exactly (surrounding blanks ignored)."""

    batch_code: str | None = None
    operator: str | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None
