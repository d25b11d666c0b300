"""What changed since a PC last looked: drives targeted table updates instead of reloads."""

from __future__ import annotations

from sqlalchemy import func, select

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.database import Database

MAX_ORDER_MATCHES = 5_000


def batches_changed_since(database: Database, audit_id: int) -> tuple[int, list[Batch]]:
    """The newest audit id and the current state of every batch touched after `audit_id`."""
    with database.unit_of_work() as uow:
        last = uow.audit.last_id()
        if last <= audit_id:
            return last, []
        touched = (
            select(AuditEventRow.batch_id)
            .where(AuditEventRow.id > audit_id, AuditEventRow.id <= last)
            .distinct()
            .scalar_subquery()
        )
        return last, uow.batches.list(where=[BatchRow.id.in_(touched)])


def codes_for_order(database: Database, text: str) -> set[str]:
    """Codes of batches consumed for an order whose id contains `text` (case-insensitive)."""
    needle = text.strip().upper()
    if len(needle) < 3:
        return set()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    query = (
        select(BatchRow.code)
        .join(AuditEventRow, AuditEventRow.batch_id == BatchRow.id)
        .where(func.upper(AuditEventRow.order_id).like(f"%{escaped}%", escape="\\"))
        .distinct()
        .limit(MAX_ORDER_MATCHES)
    )
    with database.unit_of_work() as uow:
        return set(uow.connection.execute(query).scalars())
