"""Batches: read them, register one, and change one in a single guarded statement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.db.repositories.qa_gate import qa_release_required
from dairy_desktop.db.repositories.rows import BATCH_COLUMNS, to_batch
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.new_batch import NewBatch, duplicate_code
from dairy_desktop.domain.qa import QaResult, QaState
from dairy_desktop.domain.stamp import Stamp


def _cleared() -> list[ColumnElement[bool]]:
    """Released by QA, not held, not recalled: the lifecycle's part of consumable."""
    return [
        BatchRow.qa_state == QaState.RELEASED.value,
        BatchRow.held_at.is_(None),
        BatchRow.recalled_at.is_(None),
    ]


def _consumable(now: datetime) -> list[ColumnElement[bool]]:
    """The statuses that allow consuming (domain.allowances: fresh, near expiry, expires
    today), as SQL: cleared for use, not deleted, not empty, not yet expired."""
    return [
        *_cleared(),
        BatchRow.deleted_at.is_(None),
        BatchRow.remaining_ml > 0,
        BatchRow.expires_at > now,
    ]


def _stamped(stamp: Stamp) -> dict[str, Any]:
    return {
        "updated_at": stamp.at,
        "updated_by": stamp.operator,
        "updated_workstation": stamp.workstation,
    }


class BatchRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    # reads
    def get_by_code(self, code: str) -> Batch | None:
        row = self._connection.execute(select(*BATCH_COLUMNS).where(BatchRow.code == code)).first()
        return None if row is None else to_batch(row)

    def by_expiry(self, *, include_deleted: bool = True, limit: int | None = None) -> list[Batch]:
        """First-expiring first; `limit` gives just the first ones."""
        where = [] if include_deleted else [BatchRow.deleted_at.is_(None)]
        return self._select(where, limit=limit)

    def usable_expiring_before(self, horizon: datetime, *, now: datetime) -> list[Batch]:
        """Batches that can be consumed at `now` and expire before `horizon`, first-expiring
        first: the production planning list."""
        return self._select([*_consumable(now), BatchRow.expires_at < horizon])

    def changed_since(self, audit_id: int, *, up_to: int) -> list[Batch]:
        """The current state of every batch with an audit event in (audit_id, up_to]."""
        touched = (
            select(AuditEventRow.batch_id)
            .where(AuditEventRow.id > audit_id, AuditEventRow.id <= up_to)
            .distinct()
            .scalar_subquery()
        )
        return self._select([BatchRow.id.in_(touched)])

    # changes
    def add(self, new: NewBatch, stamp: Stamp) -> Batch:
        """Store a new, full batch at version 1 with its intake; DuplicateCode if its code is
        taken. It waits for QA if the plant's gate is on, read in this same transaction."""
        new = new.received_by(stamp.at)
        gate = QaState.PENDING if qa_release_required(self._connection) else QaState.RELEASED
        dialect = postgresql if self._connection.dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(BatchRow)
            .values(
                code=new.code,
                received_at=new.received_at,
                shelf_life_days=new.shelf_life_days,
                expires_at=new.expires_at,
                initial_ml=new.initial_ml,
                remaining_ml=new.initial_ml,
                fat_centi=new.fat_centi,
                supplier=new.intake.supplier,
                tanker=new.intake.tanker,
                seal=new.intake.seal,
                temperature_deci=new.intake.temperature_deci,
                qa_state=gate.value,
                version=1,
                **_stamped(stamp),
            )
            # A code taken meanwhile by another PC inserts nothing (rather than failing,
            # which would abort a PostgreSQL transaction): the winner is read instead.
            .on_conflict_do_nothing(index_elements=[BatchRow.code])
            .returning(*BATCH_COLUMNS)
        )
        row = self._connection.execute(statement).first()
        if row is not None:
            return to_batch(row)
        raced = self.get_by_code(new.code)
        if raced is None:
            # The conflict was on its code, and batches are never removed.
            raise RuntimeError(f"batch {new.code} was neither inserted nor found")
        raise duplicate_code(raced)

    def consume(
        self,
        code: str,
        milliliters: int,
        *,
        expected_version: int | None,
        stamp: Stamp,
        draw_ml: int = 0,
    ) -> Batch | None:
        """Take `milliliters` iff the batch is consumable at `stamp.at` with that much left
        beyond what other orders reserved (and at `expected_version` if given); None if it
        is not. `draw_ml`: how much of it comes out of the consuming order's own reservation
        (read under the same write lock), which shrinks by that much. The database re-checks
        under the row lock, so concurrent consumers never oversell and never need to retry."""
        return self._guarded_update(
            code,
            [
                BatchRow.remaining_ml >= milliliters,
                BatchRow.remaining_ml - milliliters >= BatchRow.reserved_ml - draw_ml,
                BatchRow.deleted_at.is_(None),
                BatchRow.expires_at > stamp.at,
                *_cleared(),
            ],
            expected_version,
            {
                "remaining_ml": BatchRow.remaining_ml - milliliters,
                "reserved_ml": BatchRow.reserved_ml - draw_ml,
                **_stamped(stamp),
            },
        )

    def reserve(
        self, code: str, milliliters: int, *, expected_version: int | None, stamp: Stamp
    ) -> Batch | None:
        """Set `milliliters` (> 0) aside iff the batch is consumable at `stamp.at` (as a
        consume needs it) and that much is not reserved already."""
        if milliliters <= 0:
            return None  # reserving nothing is no change
        return self._guarded_update(
            code,
            [
                BatchRow.remaining_ml - BatchRow.reserved_ml >= milliliters,
                BatchRow.deleted_at.is_(None),
                BatchRow.expires_at > stamp.at,
                *_cleared(),
            ],
            expected_version,
            {"reserved_ml": BatchRow.reserved_ml + milliliters, **_stamped(stamp)},
        )

    def unreserve(
        self, code: str, milliliters: int, *, expected_version: int | None, stamp: Stamp
    ) -> Batch | None:
        """Let `milliliters` (> 0: one order's whole reservation) go, whatever the status."""
        if milliliters <= 0:
            return None
        return self._guarded_update(
            code,
            [BatchRow.reserved_ml >= milliliters],
            expected_version,
            {"reserved_ml": BatchRow.reserved_ml - milliliters, **_stamped(stamp)},
        )

    def delete(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Soft-delete iff not deleted yet (and at `expected_version` if given); None if not."""
        return self._guarded_update(
            code,
            [BatchRow.deleted_at.is_(None)],
            expected_version,
            {"deleted_at": stamp.at, **_stamped(stamp)},
        )

    def restore(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Undo a delete iff deleted (and at `expected_version` if given); None if not."""
        return self._guarded_update(
            code,
            [BatchRow.deleted_at.is_not(None)],
            expected_version,
            {"deleted_at": None, **_stamped(stamp)},
        )

    def hold(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Put on hold iff not deleted, not recalled and not held already."""
        return self._guarded_update(
            code,
            [
                BatchRow.deleted_at.is_(None),
                BatchRow.recalled_at.is_(None),
                BatchRow.held_at.is_(None),
            ],
            expected_version,
            {"held_at": stamp.at, **_stamped(stamp)},
        )

    def release(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Lift a hold iff held and not recalled (a recall is final)."""
        return self._guarded_update(
            code,
            [BatchRow.held_at.is_not(None), BatchRow.recalled_at.is_(None)],
            expected_version,
            {"held_at": None, **_stamped(stamp)},
        )

    def recall(self, code: str, *, expected_version: int | None, stamp: Stamp) -> Batch | None:
        """Recall iff not recalled already (a deleted batch too)."""
        return self._guarded_update(
            code,
            [BatchRow.recalled_at.is_(None)],
            expected_version,
            {"recalled_at": stamp.at, **_stamped(stamp)},
        )

    def dispose(
        self,
        code: str,
        milliliters: int,
        reason_code: DisposeReason,
        *,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Batch | None:
        """Write `milliliters` (> 0) off iff not deleted, that much is left beyond what is
        reserved (a write-off never takes an order's litres), and the reason fits the QA
        state: rejected-load iff rejected."""
        if milliliters <= 0:
            return None  # writing off nothing is no change
        rejected = BatchRow.qa_state == QaState.REJECTED.value
        return self._guarded_update(
            code,
            [
                BatchRow.deleted_at.is_(None),
                BatchRow.remaining_ml - milliliters >= BatchRow.reserved_ml,
                rejected if reason_code is DisposeReason.REJECTED_LOAD else ~rejected,
            ],
            expected_version,
            {"remaining_ml": BatchRow.remaining_ml - milliliters, **_stamped(stamp)},
        )

    def record_qa(
        self,
        code: str,
        result: QaResult,
        *,
        completes_release: bool,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Batch | None:
        """Apply one lab result iff not deleted, not recalled, not rejected: a fail rejects;
        a pass releases a pending batch iff `completes_release` (every required test now has
        a pass; the caller decided it under the same write lock)."""
        state: Any = BatchRow.qa_state  # a pass that completes nothing changes nothing
        if result is QaResult.FAIL:
            state = QaState.REJECTED.value
        elif completes_release:
            # The guard leaves only pending or released batches: both end released.
            state = QaState.RELEASED.value
        return self._guarded_update(
            code,
            [
                BatchRow.deleted_at.is_(None),
                BatchRow.recalled_at.is_(None),
                BatchRow.qa_state != QaState.REJECTED.value,
            ],
            expected_version,
            {"qa_state": state, **_stamped(stamp)},
        )

    def put_back(
        self,
        code: str,
        milliliters: int,
        *,
        event_id: int,
        expected_version: int | None,
        stamp: Stamp,
    ) -> Batch | None:
        """Return the litres of consume or dispose event `event_id` iff it is not reversed
        yet and the batch is neither deleted nor recalled."""
        reversed_already = exists().where(AuditEventRow.reverses_id == event_id)
        return self._guarded_update(
            code,
            [
                BatchRow.deleted_at.is_(None),
                BatchRow.recalled_at.is_(None),
                BatchRow.remaining_ml + milliliters <= BatchRow.initial_ml,
                ~reversed_already,
                exists().where(
                    AuditEventRow.id == event_id,
                    AuditEventRow.batch_id == BatchRow.id,
                    AuditEventRow.action.in_(
                        [AuditAction.CONSUME.value, AuditAction.DISPOSE.value]
                    ),
                ),
            ],
            expected_version,
            {"remaining_ml": BatchRow.remaining_ml + milliliters, **_stamped(stamp)},
        )

    def _guarded_update(
        self,
        code: str,
        conditions: list[ColumnElement[bool]],
        expected_version: int | None,
        values: dict[str, Any],
    ) -> Batch | None:
        """One UPDATE … WHERE <conditions> … RETURNING that bumps the version: the change and
        its checks are one statement, so no other PC can act between them."""
        if expected_version is not None:
            conditions = [*conditions, BatchRow.version == expected_version]
        statement = (
            update(BatchRow)
            .where(BatchRow.code == code, *conditions)
            .values(version=BatchRow.version + 1, **values)
            .returning(*BATCH_COLUMNS)
        )
        row = self._connection.execute(statement).first()
        return None if row is None else to_batch(row)

    def _select(
        self, where: Sequence[ColumnElement[bool]], limit: int | None = None
    ) -> list[Batch]:
        query = (
            select(*BATCH_COLUMNS)
            .where(*where)
            .order_by(BatchRow.expires_at, BatchRow.id)
            .limit(limit)
        )
        return [to_batch(row) for row in self._connection.execute(query)]
