"""Data access for batches, audit events and plant settings.

Every change to a batch is one conditional UPDATE that checks what must hold (version,
remaining, not deleted, not expired) and bumps the version in the same statement, so two
PCs can never both act on the same state. RETURNING gives the new state without a re-read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.orm import Session

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
    def __init__(self, session: Session) -> None:
        self._session = session

    def get_by_code(self, code: str) -> Batch | None:
        row = self._session.execute(select(*_BATCH_COLUMNS).where(BatchRow.code == code)).first()
        return None if row is None else _to_batch(row)

    def list(
        self, *, include_deleted: bool = True, where: Sequence[ColumnElement[bool]] = ()
    ) -> list[Batch]:
        query = select(*_BATCH_COLUMNS).where(*where).order_by(BatchRow.expires_at, BatchRow.id)
        if not include_deleted:
            query = query.where(BatchRow.deleted_at.is_(None))
        return [_to_batch(row) for row in self._session.execute(query)]

    def add(self, batch: dict[str, Any]) -> Batch:
        row = self._session.execute(insert(BatchRow).values(**batch).returning(*_BATCH_COLUMNS))
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
        row = self._session.execute(statement).first()
        return None if row is None else _to_batch(row)


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, batch: Batch, action: AuditAction, **fields: Any) -> None:
        self._session.execute(
            insert(AuditEventRow).values(
                batch_id=batch.id,
                action=action.value,
                remaining_after_ml=batch.remaining_ml,
                version_after=batch.version,
                **fields,
            )
        )
        if self._session.get_bind().dialect.name == "postgresql":
            # Delivered to listening PCs only when (and if) this transaction commits.
            self._session.execute(select(func.pg_notify(CHANGES_CHANNEL, batch.code)))

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
        return [_to_event(row) for row in self._session.execute(query)]

    def last_id(self) -> int:
        return int(
            self._session.execute(select(func.coalesce(func.max(AuditEventRow.id), 0))).scalar_one()
        )


class SettingsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> dict[str, str]:
        rows = self._session.execute(select(PlantSettingRow.key, PlantSettingRow.value))
        return {row.key: row.value for row in rows}

    def last_change(self) -> datetime | None:
        return self._session.execute(select(func.max(PlantSettingRow.updated_at))).scalar_one()

    def put(self, key: str, value: str, *, at: datetime, by: str) -> None:
        row = self._session.get(PlantSettingRow, key)
        if row is None:
            self._session.add(PlantSettingRow(key=key, value=value, updated_at=at, updated_by=by))
        else:
            row.value, row.updated_at, row.updated_by = value, at, by
        self._session.flush()
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(select(func.pg_notify(CHANGES_CHANNEL, "settings")))
