"""What changed since a PC last looked: drives targeted table updates instead of reloads."""

from __future__ import annotations

from sqlalchemy import select

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.batch import Batch

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
    """Codes of batches consumed for orders whose id starts with `text`.

    Order ids are stored upper case (validated), so an index range does the matching: a
    substring LIKE would read every audit event (seconds at a million events).
    """
    prefix = text.strip().upper()
    if len(prefix) < 3 or not prefix[0].isalpha():
        return set()
    query = (
        select(BatchRow.code)
        .join(AuditEventRow, AuditEventRow.batch_id == BatchRow.id)
        .where(AuditEventRow.order_id >= prefix, AuditEventRow.order_id < prefix + "\uffff")
        .distinct()
        .limit(MAX_ORDER_MATCHES)
    )
    with database.unit_of_work() as uow:
        return set(uow.connection.execute(query).scalars())
