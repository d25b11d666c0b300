"""Changes to a batch done step by step in Python, inside the caller's write transaction:
SQLite's way (BEGIN IMMEDIATE holds the database's write lock, so the steps cannot be
interleaved with another PC's). Each step is the guarded statement that PostgreSQL's
one-statement functions also run (db/repositories/server_changes.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Connection, select

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.db.repositories.audit import AuditRepository
from dairy_desktop.db.repositories.batches import BatchRepository
from dairy_desktop.db.repositories.lifecycle_fields import NO_LIFECYCLE, LifecycleFields
from dairy_desktop.db.repositories.qa_gate import required_tests
from dairy_desktop.db.repositories.reservations import ReservationRepository
from dairy_desktop.domain.audit import REVERSIBLE, AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused, batch_after
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.qa import QaRecord, QaResult, QaState
from dairy_desktop.domain.stamp import Stamp


class LocalChanges:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._batches = BatchRepository(connection)
        self._audit = AuditRepository(connection)
        self._reservations = ReservationRepository(connection)

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
        # The order's own reservation first (read under the write lock this transaction
        # holds): those litres are its to take, and the reservation shrinks by them.
        own = 0 if order_id is None else self._reservations.own_ml(code, order_id)
        draw = min(own, milliliters)
        batch = self._batches.consume(
            code, milliliters, expected_version=expected_version, stamp=stamp, draw_ml=draw
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        if order_id is not None and draw:
            self._reservations.draw(batch.id, order_id, draw, stamp)
        return self._audited(
            batch, AuditAction.CONSUME, stamp, liters_ml=milliliters, order_id=order_id
        )

    def reserve(
        self,
        code: str,
        milliliters: int,
        *,
        order_id: str,
        planned_for: date,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = self._batches.reserve(
            code, milliliters, expected_version=expected_version, stamp=stamp
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        self._reservations.add(batch.id, order_id, milliliters, planned_for, stamp)
        event = self._audit.append(
            batch,
            AuditAction.RESERVE,
            stamp,
            liters_ml=milliliters,
            order_id=order_id,
            reserved_for=planned_for,
        )
        return Changed(batch, event)

    def unreserve(
        self, code: str, *, order_id: str, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        held = self._reservations.own_ml(code, order_id)
        batch = self._batches.unreserve(code, held, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        self._reservations.release(batch.id, order_id)
        return self._audited(batch, AuditAction.UNRESERVE, stamp, liters_ml=held, order_id=order_id)

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

    def record_qa(
        self, code: str, record: QaRecord, *, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        completes = record.result is QaResult.PASS and self._completes_release(code, record)
        batch = self._batches.record_qa(
            code,
            record.result,
            completes_release=completes,
            expected_version=expected_version,
            stamp=stamp,
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return self._audited(
            batch,
            AuditAction.QA,
            stamp,
            reason=record.note,
            lifecycle=LifecycleFields.of_qa(record),
        )

    def hold(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._plain(
            AuditAction.HOLD, self._batches.hold, code, expected_version, reason, stamp
        )

    def release(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._plain(
            AuditAction.RELEASE, self._batches.release, code, expected_version, reason, stamp
        )

    def recall(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._plain(
            AuditAction.RECALL, self._batches.recall, code, expected_version, reason, stamp
        )

    def dispose(
        self,
        code: str,
        milliliters: int | None,
        *,
        reason_code: DisposeReason,
        note: str | None,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        if milliliters is None:
            # All that remains, read under the write lock this transaction holds.
            current = self._batches.get_by_code(code)
            milliliters = 0 if current is None else current.remaining_ml
        batch = self._batches.dispose(
            code, milliliters, reason_code, expected_version=expected_version, stamp=stamp
        )
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return self._audited(
            batch,
            AuditAction.DISPOSE,
            stamp,
            liters_ml=milliliters,
            reason=note,
            lifecycle=LifecycleFields.of_dispose(reason_code),
        )

    def reverse(
        self, event_id: int, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        original = self._audit.event_by_id(event_id)
        if original is None:
            return Refused(None, stamp.at)
        batch = None
        if original.action in REVERSIBLE and original.liters_ml is not None:
            batch = self._batches.put_back(
                original.batch_code,
                original.liters_ml,
                event_id=event_id,
                expected_version=expected_version,
                stamp=stamp,
            )
        if batch is None:
            return Refused(self._batches.get_by_code(original.batch_code), stamp.at)
        return self._audited(
            batch,
            AuditAction.REVERSE,
            stamp,
            liters_ml=original.liters_ml,
            reason=reason,
            lifecycle=LifecycleFields.of_reverse(event_id),
        )

    def _completes_release(self, code: str, record: QaRecord) -> bool:
        """Whether this pass leaves every required test passed (the earlier results read
        under the write lock this transaction holds)."""
        passed = set(
            self._connection.execute(
                select(AuditEventRow.qa_test)
                .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
                .where(
                    BatchRow.code == code,
                    BatchRow.qa_state == QaState.PENDING.value,
                    AuditEventRow.action == AuditAction.QA.value,
                    AuditEventRow.qa_result == QaResult.PASS.value,
                )
            ).scalars()
        )
        return required_tests(self._connection) <= passed | {record.test}

    def _plain(
        self,
        action: AuditAction,
        change: Callable[..., Batch | None],
        code: str,
        expected_version: int | None,
        reason: str,
        stamp: Stamp,
    ) -> Changed | Refused:
        """A change with a reason and no litres: one guarded UPDATE, then its event."""
        replayed = self._replayed(stamp)
        if replayed is not None:
            return replayed
        batch = change(code, expected_version=expected_version, stamp=stamp)
        if batch is None:
            return Refused(self._batches.get_by_code(code), stamp.at)
        return self._audited(batch, action, stamp, reason=reason)

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
        lifecycle: LifecycleFields = NO_LIFECYCLE,
    ) -> Changed:
        event = self._audit.append(
            batch,
            action,
            stamp,
            liters_ml=liters_ml,
            order_id=order_id,
            reason=reason,
            lifecycle=lifecycle,
        )
        return Changed(batch, event)
