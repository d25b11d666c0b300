"""The columns a batch or an audit event is read with, and their conversion to domain values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch

# In the order of Batch's fields.
BATCH_COLUMNS = (
    BatchRow.id,
    BatchRow.code,
    BatchRow.received_at,
    BatchRow.shelf_life_days,
    BatchRow.expires_at,
    BatchRow.initial_ml,
    BatchRow.remaining_ml,
    BatchRow.fat_centi,
    BatchRow.version,
    BatchRow.deleted_at,
    BatchRow.updated_at,
    BatchRow.updated_by,
    BatchRow.updated_workstation,
)

# In the order of AuditEvent's fields (the batch's code comes from the join).
EVENT_COLUMNS = (
    AuditEventRow.id,
    AuditEventRow.at,
    BatchRow.code,
    AuditEventRow.action,
    AuditEventRow.liters_ml,
    AuditEventRow.remaining_after_ml,
    AuditEventRow.version_after,
    AuditEventRow.order_id,
    AuditEventRow.operator,
    AuditEventRow.workstation,
    AuditEventRow.reason,
    AuditEventRow.correlation_id,
    AuditEventRow.request_id,
    AuditEventRow.db_user,
    AuditEventRow.prev_hash,
    AuditEventRow.hash,
)


def to_batch(row: Sequence[Any]) -> Batch:
    return Batch(*row)


def to_event(row: Sequence[Any]) -> AuditEvent:
    values = list(row)
    values[3] = AuditAction(values[3])
    return AuditEvent(*values)
