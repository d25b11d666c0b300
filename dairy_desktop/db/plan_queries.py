"""The batches the production plan counts (domain/plan.py), read with one indexed query.

Only those expiring inside the plan's window are read (ix_batches_expires_at), so the plan
costs the same at 100,000 batches as at 1,000 when most of them are long gone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from dairy_desktop.db.models import BatchRow
from dairy_desktop.db.repositories.rows import BATCH_COLUMNS, to_batch
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState


def plannable_batches(connection: Connection, *, after: datetime, before: datetime) -> list[Batch]:
    """Batches expiring in (after, before) that may still be used some day: not deleted,
    not empty, not rejected, not recalled (held and awaiting QA are included)."""
    query = (
        select(*BATCH_COLUMNS)
        .where(
            BatchRow.expires_at > after,
            BatchRow.expires_at < before,
            BatchRow.deleted_at.is_(None),
            BatchRow.remaining_ml > 0,
            BatchRow.recalled_at.is_(None),
            BatchRow.qa_state != QaState.REJECTED.value,
        )
        .order_by(BatchRow.expires_at, BatchRow.id)
    )
    return [to_batch(row) for row in connection.execute(query)]
