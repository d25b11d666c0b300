"""The audit trail: one event per change, written in the change's transaction; read filtered."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.db.repositories.lifecycle_fields import NO_LIFECYCLE, LifecycleFields
from dairy_desktop.db.repositories.notify import notify_change
from dairy_desktop.db.repositories.rows import EVENT_COLUMNS, to_event
from dairy_desktop.domain.audit import AuditAction, AuditEvent, AuditFilter
from dairy_desktop.domain.audit_chain import GENESIS, ChainedContent, event_hash
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.stamp import Stamp


def _conditions(audit_filter: AuditFilter, before_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if audit_filter.batch_code:
        conditions.append(BatchRow.code == audit_filter.batch_code.strip())
    if audit_filter.operator:
        conditions.append(AuditEventRow.operator == audit_filter.operator.strip())
    if audit_filter.action:
        conditions.append(AuditEventRow.action == audit_filter.action.value)
    if audit_filter.since:
        conditions.append(AuditEventRow.at >= audit_filter.since)
    if audit_filter.until:
        conditions.append(AuditEventRow.at < audit_filter.until)
    if before_id is not None:
        conditions.append(AuditEventRow.id < before_id)
    return conditions


def qa_state_after(action: AuditAction, batch: Batch) -> str | None:
    """What a register or qa event records: the QA state it left the batch in (as
    PostgreSQL's change functions record it, migration 0005); None for other actions."""
    if action in (AuditAction.REGISTER, AuditAction.QA):
        return batch.qa_state.value
    return None


class AuditRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def append(
        self,
        batch: Batch,
        action: AuditAction,
        stamp: Stamp,
        *,
        liters_ml: int | None = None,
        order_id: str | None = None,
        reason: str | None = None,
        lifecycle: LifecycleFields = NO_LIFECYCLE,
        reserved_for: date | None = None,
    ) -> AuditEvent:
        """Record `action`, which left `batch` as it is now, chained to the batch's previous
        event, and tell listening PCs. The hash is computed here, in Python: SQLite's path
        (PostgreSQL's changes compute it in their one statement, db/repositories/
        server_changes.py). The caller holds the batch's write lock (SQLite: the database's),
        so no other event of this batch can come between the read of the chain and this."""
        previous = self._connection.execute(
            select(AuditEventRow.hash)
            .where(AuditEventRow.batch_id == batch.id)
            .order_by(AuditEventRow.id.desc())
            .limit(1)
        ).scalar()
        content = ChainedContent(
            batch_code=batch.code,
            action=action.value,
            at=stamp.at,
            liters_ml=liters_ml,
            remaining_after_ml=batch.remaining_ml,
            version_after=batch.version,
            order_id=order_id,
            operator=stamp.operator,
            workstation=stamp.workstation,
            reason=reason,
            request_id=stamp.request_id,
            # SQLite has no database login: access is the file's permissions, and the OS
            # login is not a database identity, so nothing is claimed here.
            db_user=None,
            prev_hash=previous or GENESIS,
            reason_code=lifecycle.reason_code,
            reverses_id=lifecycle.reverses_id,
            qa_test=lifecycle.qa_test,
            qa_result=lifecycle.qa_result,
            qa_analyst=lifecycle.qa_analyst,
            qa_kit=lifecycle.qa_kit,
            qa_sample_id=lifecycle.qa_sample_id,
            qa_state_after=qa_state_after(action, batch),
            reserved_for=reserved_for,
        )
        # One set of values for the stored row and for the event handed back: the two
        # cannot disagree.
        values: dict[str, Any] = {
            "at": stamp.at,
            "liters_ml": liters_ml,
            "remaining_after_ml": batch.remaining_ml,
            "version_after": batch.version,
            "order_id": order_id,
            "operator": stamp.operator,
            "workstation": stamp.workstation,
            "reason": reason,
            "correlation_id": stamp.correlation_id,
            "request_id": content.request_id,
            "db_user": content.db_user,
            "prev_hash": content.prev_hash,
            "hash": event_hash(content),
            **lifecycle.as_dict(),
            "qa_state_after": content.qa_state_after,
            "reserved_for": reserved_for,
        }
        event_id = self._connection.execute(
            insert(AuditEventRow)
            .values(batch_id=batch.id, action=action.value, **values)
            .returning(AuditEventRow.id)
        ).scalar_one()
        notify_change(self._connection, batch.code)
        return AuditEvent(id=int(event_id), batch_code=batch.code, action=action, **values)

    def event_for_request(self, request_id: str) -> AuditEvent | None:
        """The event of the change sent with `request_id`, if it was recorded."""
        return self._one(AuditEventRow.request_id == request_id)

    def event_by_id(self, event_id: int) -> AuditEvent | None:
        """One event with `reversed_by` filled in; None if there is no such id."""
        return self._one(AuditEventRow.id == event_id)

    def uses_of(self, code: str) -> list[AuditEvent]:
        """The batch's consume events, oldest first, each with `reversed_by` filled in."""
        query = (
            select(*EVENT_COLUMNS)
            .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
            .where(BatchRow.code == code, AuditEventRow.action == AuditAction.CONSUME.value)
            .order_by(AuditEventRow.id)
        )
        return [to_event(row) for row in self._connection.execute(query)]

    def _one(self, condition: ColumnElement[bool]) -> AuditEvent | None:
        row = self._connection.execute(
            select(*EVENT_COLUMNS)
            .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
            .where(condition)
        ).first()
        return None if row is None else to_event(row)

    def history(
        self,
        audit_filter: AuditFilter,
        *,
        limit: int | None = None,
        before_id: int | None = None,
        newest_first: bool = False,
    ) -> list[AuditEvent]:
        """Matching events in the order they happened (or newest first, for a paging view:
        the next page is the one `before_id` the smallest id seen); a reversed one carries
        the id of the `reverse` that undid it."""
        order = AuditEventRow.id.desc() if newest_first else AuditEventRow.id
        query = (
            select(*EVENT_COLUMNS)
            .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
            .where(*_conditions(audit_filter, before_id))
            .order_by(order)
            .limit(limit)
        )
        return [to_event(row) for row in self._connection.execute(query)]

    def codes_for_order(self, prefix: str, *, limit: int) -> set[str]:
        """Codes of batches consumed for orders whose id starts with `prefix` (as stored, upper
        case). An index range, not a substring LIKE, which would read every audit event."""
        query = (
            select(BatchRow.code)
            .join(AuditEventRow, AuditEventRow.batch_id == BatchRow.id)
            .where(AuditEventRow.order_id >= prefix, AuditEventRow.order_id < prefix + "\uffff")
            .distinct()
            .limit(limit)
        )
        return set(self._connection.execute(query).scalars())

    def last_id(self) -> int:
        """The newest event's id (0 if none): every batch change moves it."""
        return int(
            self._connection.execute(
                select(func.coalesce(func.max(AuditEventRow.id), 0))
            ).scalar_one()
        )
