"""The reads a trace needs: a batch, the batches an order used, and their whole histories.

Each is one statement over an existing index: batches.code (unique), audit_events.order_id,
audit_events (batch_id, id), and the unique reverses_id behind `reversed_by`. A trace of one
batch is two statements, of an order three, however large the trail.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, func, select

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.db.repositories.rows import BATCH_COLUMNS, EVENT_COLUMNS, to_batch, to_event
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch


class TraceRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def batch(self, code: str) -> Batch | None:
        row = self._connection.execute(select(*BATCH_COLUMNS).where(BatchRow.code == code)).first()
        return None if row is None else to_batch(row)

    def batches_used_for(self, order_id: str) -> list[Batch]:
        """Every batch with a consume for `order_id` (reversed or not), deleted ones too, in
        the order the order first drew on them."""
        first_uses = self._connection.execute(
            select(AuditEventRow.batch_id, func.min(AuditEventRow.id))
            .where(
                AuditEventRow.order_id == order_id,
                AuditEventRow.action == AuditAction.CONSUME.value,
            )
            .group_by(AuditEventRow.batch_id)
        )
        firsts = {int(batch_id): int(event_id) for batch_id, event_id in first_uses}
        if not firsts:
            return []
        rows = self._connection.execute(
            select(*BATCH_COLUMNS).where(BatchRow.id.in_(sorted(firsts)))
        )
        return sorted((to_batch(row) for row in rows), key=lambda batch: firsts[batch.id])

    def events_of(self, batch_ids: Collection[int]) -> list[AuditEvent]:
        """Every event of these batches, oldest first, each with `reversed_by` filled in."""
        if not batch_ids:
            return []
        query = (
            select(*EVENT_COLUMNS)
            .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
            .where(AuditEventRow.batch_id.in_(sorted(batch_ids)))
            .order_by(AuditEventRow.id)
        )
        return [to_event(row) for row in self._connection.execute(query)]
