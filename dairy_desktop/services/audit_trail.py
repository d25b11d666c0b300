"""Reading the audit trail with filters, in pages for large trails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.audit import AuditAction, AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    batch_code: str | None = None
    operator: str | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.batch_code:
            conditions.append(BatchRow.code == self.batch_code.strip())
        if self.operator:
            conditions.append(AuditEventRow.operator == self.operator.strip())
        if self.action:
            conditions.append(AuditEventRow.action == self.action.value)
        if self.since:
            conditions.append(AuditEventRow.at >= self.since)
        if self.until:
            conditions.append(AuditEventRow.at < self.until)
        return conditions


def list_audit(
    database: Database,
    audit_filter: AuditFilter | None = None,
    *,
    limit: int | None = None,
    before_id: int | None = None,
    newest_first: bool = False,
) -> list[AuditEvent]:
    """Events matching the filter, oldest first (or newest first for a paging view:
    pass the smallest id seen as `before_id` to fetch the next page)."""
    conditions = (audit_filter or AuditFilter()).conditions()
    if before_id is not None:
        conditions.append(AuditEventRow.id < before_id)
    with database.unit_of_work() as uow:
        return uow.audit.list(where=conditions, limit=limit, newest_first=newest_first)
