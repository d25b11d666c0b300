"""The columns a batch or an audit event is read with, and their conversion to domain values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import aliased

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState

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
    BatchRow.supplier,
    BatchRow.tanker,
    BatchRow.seal,
    BatchRow.temperature_deci,
    BatchRow.qa_state,
    BatchRow.held_at,
    BatchRow.recalled_at,
    BatchRow.reserved_ml,
)
_QA_STATE = BATCH_COLUMNS.index(BatchRow.qa_state)

_reversal = aliased(AuditEventRow, name="reversal")
# The `reverse` event that undid an event, if any: not a column of the event (the event is
# never edited), looked up through the unique index on reverses_id.
REVERSED_BY: ScalarSelect[int] = (
    select(_reversal.id)
    .where(_reversal.reverses_id == AuditEventRow.id)
    .correlate(AuditEventRow)
    .scalar_subquery()
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
    AuditEventRow.reason_code,
    AuditEventRow.reverses_id,
    AuditEventRow.qa_test,
    AuditEventRow.qa_result,
    AuditEventRow.qa_analyst,
    AuditEventRow.qa_kit,
    AuditEventRow.qa_sample_id,
    AuditEventRow.qa_state_after,
    AuditEventRow.reserved_for,
    REVERSED_BY.label("reversed_by"),
)


def to_batch(row: Sequence[Any]) -> Batch:
    values = list(row)
    values[_QA_STATE] = QaState(values[_QA_STATE])
    return Batch(*values)


def to_event(row: Sequence[Any]) -> AuditEvent:
    values = list(row)
    values[3] = AuditAction(values[3])
    return AuditEvent(*values)
