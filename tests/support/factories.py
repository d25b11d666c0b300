"""The one place tests build domain values: batches and audit events, with sensible defaults.

Every instant is passed in by the test (or derived from one it passed): nothing here reads
the clock, so a test's "now" is whatever the test says, however long the suite runs.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.intake import NO_INTAKE, Intake
from dairy_desktop.domain.qa import QaState


def make_batch(
    code: str,
    expires_at: datetime,
    *,
    id: int | None = None,
    remaining_ml: int = 1_000_000,
    initial_ml: int | None = None,
    fat_centi: int | None = 350,
    shelf_life_days: int = 3,
    version: int = 1,
    deleted_at: datetime | None = None,
    updated_at: datetime | None = None,
    updated_by: str | None = "test",
    updated_workstation: str | None = "TEST-PC",
    intake: Intake = NO_INTAKE,
    qa_state: QaState = QaState.RELEASED,
    held_at: datetime | None = None,
    recalled_at: datetime | None = None,
) -> Batch:
    """A batch expiring at `expires_at`, received `shelf_life_days` before it."""
    received = expires_at - timedelta(days=shelf_life_days)
    return Batch(
        # A stable id per code (hash() of a str changes between runs).
        id=id if id is not None else zlib.crc32(code.encode()) % 1_000_000 + 1,
        code=code,
        received_at=received,
        shelf_life_days=shelf_life_days,
        expires_at=expires_at,
        initial_ml=initial_ml if initial_ml is not None else max(remaining_ml, 1),
        remaining_ml=remaining_ml,
        fat_centi=fat_centi,
        version=version,
        deleted_at=deleted_at,
        updated_at=updated_at if updated_at is not None else received,
        updated_by=updated_by,
        updated_workstation=updated_workstation,
        supplier=intake.supplier,
        tanker=intake.tanker,
        seal=intake.seal,
        temperature_deci=intake.temperature_deci,
        qa_state=qa_state,
        held_at=held_at,
        recalled_at=recalled_at,
    )


def make_event(
    batch: Batch,
    action: AuditAction,
    at: datetime,
    *,
    id: int = 1,
    liters_ml: int | None = None,
    order_id: str | None = None,
    operator: str = "test",
    workstation: str = "TEST-PC",
    reason: str | None = None,
    correlation_id: str | None = None,
    reason_code: str | None = None,
    reverses_id: int | None = None,
    qa_test: str | None = None,
    qa_result: str | None = None,
    qa_analyst: str | None = None,
    reversed_by: int | None = None,
) -> AuditEvent:
    """An audit event recording `action` on `batch`, leaving it as `batch` is now."""
    return AuditEvent(
        id=id,
        at=at,
        batch_code=batch.code,
        action=action,
        liters_ml=liters_ml,
        remaining_after_ml=batch.remaining_ml,
        version_after=batch.version,
        order_id=order_id,
        operator=operator,
        workstation=workstation,
        reason=reason,
        correlation_id=correlation_id,
        reason_code=reason_code,
        reverses_id=reverses_id,
        qa_test=qa_test,
        qa_result=qa_result,
        qa_analyst=qa_analyst,
        reversed_by=reversed_by,
    )
