"""Reading the audit trail with filters, in pages for large trails."""

from __future__ import annotations

from dairy_desktop.domain.audit import AuditEvent, AuditFilter
from dairy_desktop.services.ports import Database

__all__ = ["AuditFilter", "event_for_request", "list_audit"]


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
    with database.unit_of_work() as uow:
        return uow.audit.history(
            audit_filter or AuditFilter(),
            limit=limit,
            before_id=before_id,
            newest_first=newest_first,
        )


def event_for_request(database: Database, request_id: str) -> AuditEvent | None:
    """The audit event of the change sent with `request_id`; None if it was not recorded."""
    with database.unit_of_work() as uow:
        return uow.audit.event_for_request(request_id)
