"""Reservations: read them, and (SQLite's path) keep an order's row in step with the change
that moves its batch's reserved_ml, inside the same write transaction.

PostgreSQL writes the rows inside dairy_change (migration 0006); only the reads are used
there. Every write here runs after the batch's guarded UPDATE succeeded, under the write
lock that transaction holds, so the rows and the batch's total cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dairy_desktop.db.models import BatchRow, ReservationRow
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.stamp import Stamp

# In the order of Reservation's fields.
_COLUMNS = (
    ReservationRow.order_id,
    BatchRow.code,
    ReservationRow.reserved_ml,
    ReservationRow.planned_for,
    ReservationRow.updated_at,
    ReservationRow.operator,
    ReservationRow.workstation,
)


def _who(stamp: Stamp) -> dict[str, Any]:
    return {"updated_at": stamp.at, "operator": stamp.operator, "workstation": stamp.workstation}


class ReservationRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    # reads
    def all(self) -> list[Reservation]:
        """Every reservation, first-expiring batch first (then by code and order)."""
        return self._select([])

    def for_order(self, order_id: str) -> list[Reservation]:
        return self._select([ReservationRow.order_id == order_id])

    def for_batch(self, code: str) -> list[Reservation]:
        return self._select([BatchRow.code == code])

    def own_ml(self, code: str, order_id: str) -> int:
        """What `order_id` holds reserved on batch `code` (0: nothing)."""
        held = self._connection.execute(
            select(ReservationRow.reserved_ml)
            .join(BatchRow, BatchRow.id == ReservationRow.batch_id)
            .where(BatchRow.code == code, ReservationRow.order_id == order_id)
        ).scalar()
        return int(held or 0)

    # writes (SQLite's path: after the batch's guarded UPDATE, in its transaction)
    def add(
        self, batch_id: int, order_id: str, milliliters: int, planned_for: date, stamp: Stamp
    ) -> None:
        """Add to the order's reservation on the batch (a new row if it has none); the
        planned day becomes the one given."""
        dialect = postgresql if self._connection.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(ReservationRow).values(
            batch_id=batch_id,
            order_id=order_id,
            reserved_ml=milliliters,
            planned_for=planned_for,
            created_at=stamp.at,
            **_who(stamp),
        )
        statement = statement.on_conflict_do_update(
            index_elements=[ReservationRow.batch_id, ReservationRow.order_id],
            set_={
                "reserved_ml": ReservationRow.reserved_ml + statement.excluded.reserved_ml,
                "planned_for": statement.excluded.planned_for,
                **_who(stamp),
            },
        )
        self._connection.execute(statement)

    def draw(self, batch_id: int, order_id: str, milliliters: int, stamp: Stamp) -> None:
        """Take `milliliters` (at most all of it) out of the order's reservation; a
        reservation drawn to nothing is gone."""
        if milliliters <= 0:
            return
        mine = (ReservationRow.batch_id == batch_id, ReservationRow.order_id == order_id)
        self._connection.execute(
            delete(ReservationRow).where(*mine, ReservationRow.reserved_ml <= milliliters)
        )
        self._connection.execute(
            update(ReservationRow)
            .where(*mine)
            .values(reserved_ml=ReservationRow.reserved_ml - milliliters, **_who(stamp))
        )

    def release(self, batch_id: int, order_id: str) -> None:
        self._connection.execute(
            delete(ReservationRow).where(
                ReservationRow.batch_id == batch_id, ReservationRow.order_id == order_id
            )
        )

    def _select(self, where: Sequence[ColumnElement[bool]]) -> list[Reservation]:
        query = (
            select(*_COLUMNS)
            .join(BatchRow, BatchRow.id == ReservationRow.batch_id)
            .where(*where)
            .order_by(BatchRow.expires_at, BatchRow.code, ReservationRow.order_id)
        )
        return [Reservation(*row) for row in self._connection.execute(query)]
