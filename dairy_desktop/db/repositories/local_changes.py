"""Changes to a batch done step by step in Python, inside the caller's write transaction:
SQLite's way (BEGIN IMMEDIATE holds the database's write lock, so the steps cannot be
interleaved with another PC's). Each step is the guarded statement that PostgreSQL's
one-statement functions also run (db/repositories/server_changes.py)."""

from __future__ import annotations

from sqlalchemy import Connection

from dairy_desktop.db.repositories.audit import AuditRepository
from dairy_desktop.db.repositories.batches import BatchRepository
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused, batch_after
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.stamp import Stamp


class LocalChanges:
    def __init__(self, connection: Connection) -> None:
        self._batches = BatchRepository(connection)
        self._audit = AuditRepository(connection)

    def register(self, new: NewBatch, stamp: Stamp) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        existing = self._batches.get_by_code(new.code)
        if existing is not None:
            return Refused(existing, stamp.at)
        batch = self._batches.add(new.received_by(stamp.at), stamp)
        return self._audited(batch, AuditAction.REGISTER, stamp, liters_ml=new.initial_ml)

    def consume(
        self,
        code: str,
        milliliters: int,
        *,
        expected_version: int | None,
        order_id: str | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = self._batches.consume(
            code, milliliters, expected_version=expected_version, stamp=stamp
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return self._audited(
            batch, AuditAction.CONSUME, stamp, liters_ml=milliliters, order_id=order_id
        )

    def delete(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = self._batches.delete(code, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return self._audited(batch, AuditAction.DELETE, stamp, reason=reason)

    def restore(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = self._batches.restore(code, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return self._audited(batch, AuditAction.RESTORE, stamp, reason=reason)

    def _replayed(self, stamp: Stamp) -> Changed | None:
        """The first result of a change already recorded under this request id. Decided
        inside the write transaction, so no other PC can record it meanwhile; the unique
        index on request ids refuses a second copy regardless."""
        if stamp.request_id is None:
            return None
        event = self._audit.event_for_request(stamp.request_id)
        if event is None:
            return None
        current = self._batches.get_by_code(event.batch_code)
        if current is None:
            # Events reference their batch and batches are never removed: a broken database.
            raise RuntimeError(
                f"request id {stamp.request_id} is recorded for batch {event.batch_code}, "
                "which is not in the database"
            )
        return Changed(batch_after(event, current), event, replayed=True)

    def _audited(
        self,
        batch: Batch,
        action: AuditAction,
        stamp: Stamp,
        *,
        liters_ml: int | None = None,
        order_id: str | None = None,
        reason: str | None = None,
    ) -> Changed:
        event = self._audit.append(
            batch, action, stamp, liters_ml=liters_ml, order_id=order_id, reason=reason
        )
        return Changed(batch, event)
