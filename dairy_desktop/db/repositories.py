"""Data access for batches, audit events and plant settings.

They run Core statements on the unit of work's connection (no ORM session: it more than
doubled the client CPU per consume). Every change to a batch is one conditional UPDATE that checks what must hold (version,
remaining, not deleted, not expired) and bumps the version in the same statement, so two
PCs can never both act on the same state. RETURNING gives the new state without a re-read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, insert, select, update

from dairy_desktop.db.models import AuditEventRow, BatchRow, PlantSettingRow
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch

CHANGES_CHANNEL = "dairy_changes"

_BATCH_COLUMNS = (
    BatchRow.id,
    BatchRow.code,
    BatchRow.received_at,
    BatchRow.shelf_life_days,
    BatchRow.expires_at,
    BatchRow.initial_ml,
    BatchRow.remaining_ml,
    BatchRow.fat_centi,
    BatchRow.version,
    BatchRow.deleted_at,
    BatchRow.updated_at,
    BatchRow.updated_by,
    BatchRow.updated_workstation,
)


def _to_batch(row: Sequence[Any]) -> Batch:
    return Batch(*row)


def _to_event(row: Sequence[Any]) -> AuditEvent:
    values = list(row)
    values[3] = AuditAction(values[3])
    return AuditEvent(*values)


class BatchRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get_by_code(self, code: str) -> Batch | None:
        row = self._connection.execute(select(*_BATCH_COLUMNS).where(BatchRow.code == code)).first()
        return None if row is None else _to_batch(row)

    def list(
        self,
        *,
        include_deleted: bool = True,
        where: Sequence[ColumnElement[bool]] = (),
        limit: int | None = None,
    ) -> list[Batch]:
        query = (
            select(*_BATCH_COLUMNS)
            .where(*where)
            .order_by(BatchRow.expires_at, BatchRow.id)
            .limit(limit)
        )
        if not include_deleted:
            query = query.where(BatchRow.deleted_at.is_(None))
        return [_to_batch(row) for row in self._connection.execute(query)]

    def add(self, batch: dict[str, Any]) -> Batch:
        row = self._connection.execute(insert(BatchRow).values(**batch).returning(*_BATCH_COLUMNS))
        return _to_batch(row.one())

    def conditional_update(
        self, code: str, conditions: Sequence[ColumnElement[bool]], values: dict[str, Any]
    ) -> Batch | None:
        """Apply `values` and bump the version iff every condition holds; None if not."""
        statement = (
            update(BatchRow)
            .where(BatchRow.code == code, *conditions)
            .values(version=BatchRow.version + 1, **values)
            .returning(*_BATCH_COLUMNS)
        )
        row = self._connection.execute(statement).first()
        return None if row is None else _to_batch(row)


class AuditRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, batch: Batch, action: AuditAction, **fields: Any) -> None:
        self._connection.execute(
            insert(AuditEventRow).values(
                batch_id=batch.id,
                action=action.value,
                remaining_after_ml=batch.remaining_ml,
                version_after=batch.version,
                **fields,
            )
        )
        if self._connection.dialect.name == "postgresql":
            # Delivered to listening PCs only when (and if) this transaction commits.
            self._connection.execute(select(func.pg_notify(CHANGES_CHANNEL, batch.code)))

    def list(
        self,
        *,
        where: Sequence[ColumnElement[bool]] = (),
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[AuditEvent]:
        order = AuditEventRow.id.desc() if newest_first else AuditEventRow.id
        query = (
            select(
                AuditEventRow.id,
                AuditEventRow.at,
                BatchRow.code,
                AuditEventRow.action,
                AuditEventRow.liters_ml,
                AuditEventRow.remaining_after_ml,
                AuditEventRow.version_after,
                AuditEventRow.order_id,
                AuditEventRow.operator,
                AuditEventRow.workstation,
                AuditEventRow.reason,
                AuditEventRow.correlation_id,
            )
            .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
            .where(*where)
            .order_by(order)
            .limit(limit)
        )
        return [_to_event(row) for row in self._connection.execute(query)]

    def last_id(self) -> int:
        return int(
            self._connection.execute(
                select(func.coalesce(func.max(AuditEventRow.id), 0))
            ).scalar_one()
        )


class SettingsRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def all(self) -> dict[str, str]:
        rows = self._connection.execute(select(PlantSettingRow.key, PlantSettingRow.value))
        return {row.key: row.value for row in rows}

    def last_change(self) -> datetime | None:
        return self._connection.execute(select(func.max(PlantSettingRow.updated_at))).scalar_one()

    def put(self, key: str, value: str, *, at: datetime, by: str) -> None:
        values = {"value": value, "updated_at": at, "updated_by": by}
        changed = self._connection.execute(
            update(PlantSettingRow).where(PlantSettingRow.key == key).values(**values)
        )
        if changed.rowcount == 0:
            self._connection.execute(insert(PlantSettingRow).values(key=key, **values))
        if self._connection.dialect.name == "postgresql":
            self._connection.execute(select(func.pg_notify(CHANGES_CHANNEL, "settings")))
