"""Reads for `audit verify`: every audit event in id order, streamed, every batch's row and
reservation, and the recorded values of the plant settings that decide a batch's QA state.

The events are streamed (a server-side cursor on PostgreSQL, SQLite's own lazy cursor) so
that a trail of millions is checked in bounded memory. Both reads run in one transaction at
REPEATABLE READ on PostgreSQL, so the events and the rows they are replayed against are the
same snapshot even while other PCs keep working.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import BigInteger, Connection, Date, Integer, String, Text, bindparam, text

from dairy_desktop.db.database import Database
from dairy_desktop.db.errors import is_unavailable, unavailable_from
from dairy_desktop.db.types import UTCDateTime

# Rows fetched per round trip while streaming the trail.
FETCH_ROWS = 5_000


class StoredEvent(NamedTuple):
    """One audit_events row as stored, with its batch's code (what the hash covers).

    batch_code … db_user are domain.audit_chain.ChainedContent's fields in its order, so the
    content is built by position (a test keeps them in step)."""

    id: int
    batch_id: int
    batch_code: str
    action: str
    at: datetime
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int
    order_id: str | None
    operator: str
    workstation: str
    reason: str | None
    request_id: str | None
    db_user: str | None
    prev_hash: str | None
    hash: str | None
    # The lifecycle fields (migration 0005), in domain.audit_chain.LIFECYCLE_FIELDS order.
    reason_code: str | None = None
    reverses_id: int | None = None
    qa_test: str | None = None
    qa_result: str | None = None
    qa_analyst: str | None = None
    qa_kit: str | None = None
    qa_sample_id: str | None = None
    qa_state_after: str | None = None  # register and qa: the QA state the event left
    reserved_for: date | None = None  # reserve: the planned day (migration 0006)
    # A reverse's original event, as stored: its batch, action and litres (None: no such event).
    reversed_batch_id: int | None = None
    reversed_action: str | None = None
    reversed_liters_ml: int | None = None


class SettingChange(NamedTuple):
    """One recorded change of a plant setting: what it was set to, and when."""

    at: datetime
    key: str
    value: str


class StoredBatch(NamedTuple):
    """What the batches row says now, in the terms the trail is replayed in."""

    id: int
    code: str
    initial_ml: int
    remaining_ml: int
    version: int
    deleted: bool
    qa_state: str = "released"
    held: bool = False
    recalled: bool = False
    reserved_ml: int = 0


class StoredReservation(NamedTuple):
    """One reservations row: what an order holds on a batch, and for which day."""

    batch_id: int
    order_id: str
    reserved_ml: int
    planned_for: date


_EVENTS = text(
    """
    SELECT e.id, e.batch_id, b.code, e.action, e.at, e.liters_ml, e.remaining_after_ml,
           e.version_after, e.order_id, e.operator, e.workstation, e.reason, e.request_id,
           e.db_user, e.prev_hash, e.hash, e.reason_code, e.reverses_id, e.qa_test,
           e.qa_result, e.qa_analyst, e.qa_kit, e.qa_sample_id, e.qa_state_after,
           e.reserved_for, r.batch_id, r.action, r.liters_ml
    FROM audit_events e JOIN batches b ON b.id = e.batch_id
    LEFT JOIN audit_events r ON r.id = e.reverses_id
    ORDER BY e.id
    """
).columns(
    id=BigInteger(),
    batch_id=BigInteger(),
    code=String(),
    action=String(),
    at=UTCDateTime(),
    liters_ml=BigInteger(),
    remaining_after_ml=BigInteger(),
    version_after=Integer(),
    order_id=String(),
    operator=String(),
    workstation=String(),
    reason=Text(),
    request_id=String(),
    db_user=String(),
    prev_hash=String(),
    hash=String(),
    reason_code=String(),
    reverses_id=BigInteger(),
    qa_test=String(),
    qa_result=String(),
    qa_analyst=String(),
    qa_kit=String(),
    qa_sample_id=String(),
    qa_state_after=String(),
    reserved_for=Date(),
    reversed_batch_id=BigInteger(),
    reversed_action=String(),
    reversed_liters_ml=BigInteger(),
)

_BATCHES = text(
    "SELECT id, code, initial_ml, remaining_ml, version, deleted_at IS NOT NULL AS deleted, "
    "qa_state, held_at IS NOT NULL AS held, recalled_at IS NOT NULL AS recalled, reserved_ml "
    "FROM batches ORDER BY id"
)

_RESERVATIONS = text(
    "SELECT batch_id, order_id, reserved_ml, planned_for FROM reservations"
    " ORDER BY batch_id, order_id"
).columns(batch_id=BigInteger(), order_id=String(), reserved_ml=BigInteger(), planned_for=Date())

_SETTINGS_NOW = text("SELECT key, value FROM plant_settings WHERE key IN :keys").columns(
    key=String(), value=Text()
)

_SETTING_CHANGES = text(
    "SELECT at, key, new_value FROM plant_setting_changes WHERE key IN :keys ORDER BY at, id"
).columns(at=UTCDateTime(), key=String(), new_value=Text())


class AuditSnapshot:
    """The trail and the batches as one consistent snapshot; valid inside `audit_snapshot`."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def batches(self) -> list[StoredBatch]:
        rows = self._connection.execute(_BATCHES)
        return [
            StoredBatch(
                r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], bool(r[7]), bool(r[8]), r[9]
            )
            for r in rows
        ]

    def reservations(self) -> list[StoredReservation]:
        """Every reservation row (one per batch and order; a few per batch at most)."""
        return [StoredReservation(*row) for row in self._connection.execute(_RESERVATIONS)]

    def setting_changes(self, keys: tuple[str, ...]) -> list[SettingChange]:
        """Every recorded value of these plant settings, oldest first (a small table)."""
        query = _SETTING_CHANGES.bindparams(bindparam("keys", expanding=True))
        rows = self._connection.execute(query, {"keys": list(keys)})
        return [SettingChange(*row) for row in rows]

    def settings_now(self, keys: tuple[str, ...]) -> dict[str, str]:
        """These plant settings' stored values now (a key without a row is left out)."""
        query = _SETTINGS_NOW.bindparams(bindparam("keys", expanding=True))
        rows = self._connection.execute(query, {"keys": list(keys)})
        return {str(row[0]): str(row[1]) for row in rows}

    def events(self) -> Iterator[StoredEvent]:
        """Every event, oldest first, fetched FETCH_ROWS at a time."""
        result = self._connection.execution_options(
            stream_results=True, yield_per=FETCH_ROWS
        ).execute(_EVENTS)
        for row in result:
            yield StoredEvent(*row)


@contextmanager
def audit_snapshot(database: Database) -> Iterator[AuditSnapshot]:
    try:
        with database.engine.connect() as connection:
            if database.kind == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                yield AuditSnapshot(connection)
    except Exception as error:
        if is_unavailable(error):
            raise unavailable_from(error, database.kind) from error
        raise
