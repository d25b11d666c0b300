"""Changes to a batch as ONE statement each on PostgreSQL: a call of the function migration
0006 installed (dairy_change for every change, dairy_register), which replays a known
request id, checks the
guard with the server's clock under the row lock, updates the batch, appends the hashed
audit event and notifies, all at once. On an autocommit connection that is one round trip:
no BEGIN, no COMMIT.

The PC's clock (`stamp.at`) is ignored here: the server's decides expiry and every time
written. Two retries, each at most once and both safe because of the request id:
- the connection came out of the pool dead (no pre-ping is spent to find out): reconnect
  and send it again; if the first one had landed, the second only replays it (so only a
  change that carries a request id is resent, and only on a connection used before: a
  new one failing is the network's failure to report, not a stale pool);
- another PC sending the same request id won the unique index: send it again, and the
  function returns the winner's result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from dairy_desktop.db.changes_in_flight import marked
from dairy_desktop.db.repositories.lifecycle_fields import NO_LIFECYCLE, LifecycleFields
from dairy_desktop.db.repositories.rows import to_batch, to_event
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused, batch_after
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.qa import QaRecord
from dairy_desktop.domain.stamp import Stamp

REQUEST_ID_INDEX = "ux_audit_events_request_id"

# Sent through the driver's own cursor: SQLAlchemy's result machinery cost more client CPU
# (0.2 ms per change) than the rest of the call, for one row of plain values.
_CHANGE = (
    "SELECT * FROM dairy_change(%(action)s, %(code)s, %(event_id)s, %(ml)s, "
    "%(expected_version)s, %(order_id)s, %(reason)s, %(reason_code)s, %(qa_test)s, "
    "%(qa_result)s, %(qa_analyst)s, %(qa_kit)s, %(qa_sample_id)s, %(operator)s, "
    "%(workstation)s, %(correlation_id)s, %(request_id)s, %(reserved_for)s)"
)
_REGISTER = (
    "SELECT * FROM dairy_register(%(code)s, %(received_at)s, %(shelf_life_days)s, "
    "%(initial_ml)s, %(fat_centi)s, %(supplier)s, %(tanker)s, %(seal)s, "
    "%(temperature_deci)s, %(operator)s, %(workstation)s, %(correlation_id)s, "
    "%(request_id)s)"
)

# Positions in the functions' result: outcome, guard instant, 21 batch columns (Batch's
# fields in order), 24 event columns, and the id of the reverse that undid the event.
_BATCH = slice(2, 23)
_EVENT = slice(23, 47)
_REVERSED_BY = 47
# received_at, expires_at, deleted_at, updated_at, held_at, recalled_at
_BATCH_INSTANTS = (2, 4, 9, 10, 18, 19)


def _utc(moment: datetime | None) -> datetime | None:
    """As UTCDateTime reads them: the driver gives the session's offset."""
    return None if moment is None else moment.astimezone(UTC)


def _batch(row: Sequence[Any]) -> Batch:
    values = list(row[_BATCH])
    for position in _BATCH_INSTANTS:
        values[position] = _utc(values[position])
    return to_batch(values)


def _event(row: Sequence[Any]) -> AuditEvent:
    # The function's event columns are AuditEvent's fields in order, without the batch's
    # code (after `at`), which is the batch's.
    id_, at, *rest = row[_EVENT]
    return to_event([id_, at.astimezone(UTC), row[_BATCH][1], *rest, row[_REVERSED_BY]])


def _outcome(row: Sequence[Any]) -> Changed | Refused:
    outcome, at = row[0], row[1].astimezone(UTC)
    batch = None if row[_BATCH][0] is None else _batch(row)
    if outcome == "refused":
        return Refused(batch, at)
    if batch is None:
        raise RuntimeError(f"the server reported a {outcome} change with no batch")
    event = _event(row)
    if outcome == "replayed":
        return Changed(batch_after(event, batch), event, replayed=True)
    return Changed(batch, event)


def _is_request_id_taken(error: IntegrityError) -> bool:
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None) == REQUEST_ID_INDEX


class ServerChanges:
    def __init__(
        self, connection: Connection, reconnect: Callable[[], Connection], *, resend: bool
    ) -> None:
        """`resend`: the connection is a pooled one, which may have died while idle."""
        self._connection = connection
        self._reconnect = reconnect
        self._resend = resend

    def register(self, new: NewBatch, stamp: Stamp) -> Changed | Refused:
        return self._call(
            _REGISTER,
            {
                "code": new.code,
                "received_at": new.received_at,
                "shelf_life_days": new.shelf_life_days,
                "initial_ml": new.initial_ml,
                "fat_centi": new.fat_centi,
                "supplier": new.intake.supplier,
                "tanker": new.intake.tanker,
                "seal": new.intake.seal,
                "temperature_deci": new.intake.temperature_deci,
                **_who(stamp),
            },
        )

    def consume(
        self,
        code: str,
        milliliters: int,
        *,
        expected_version: int | None,
        order_id: str | None,
        stamp: Stamp,
    ) -> Changed | Refused:
        return self._change(
            AuditAction.CONSUME, code, expected_version, stamp, ml=milliliters, order_id=order_id
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
        return self._change(
            AuditAction.RESERVE,
            code,
            expected_version,
            stamp,
            ml=milliliters,
            order_id=order_id,
            reserved_for=planned_for,
        )

    def unreserve(
        self, code: str, *, order_id: str, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(AuditAction.UNRESERVE, code, expected_version, stamp, order_id=order_id)

    def delete(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(AuditAction.DELETE, code, expected_version, stamp, reason=reason)

    def restore(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(AuditAction.RESTORE, code, expected_version, stamp, reason=reason)

    def record_qa(
        self, code: str, record: QaRecord, *, expected_version: int | None, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(
            AuditAction.QA,
            code,
            expected_version,
            stamp,
            reason=record.note,
            lifecycle=LifecycleFields.of_qa(record),
        )

    def hold(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(AuditAction.HOLD, code, expected_version, stamp, reason=reason)

    def release(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(AuditAction.RELEASE, code, expected_version, stamp, reason=reason)

    def recall(
        self, code: str, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(AuditAction.RECALL, code, expected_version, stamp, reason=reason)

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
        """`milliliters` None: all that remain, as the server finds them under the lock."""
        return self._change(
            AuditAction.DISPOSE,
            code,
            expected_version,
            stamp,
            ml=milliliters,
            reason=note,
            lifecycle=LifecycleFields.of_dispose(reason_code),
        )

    def reverse(
        self, event_id: int, *, expected_version: int | None, reason: str, stamp: Stamp
    ) -> Changed | Refused:
        return self._change(
            AuditAction.REVERSE, None, expected_version, stamp, reason=reason, event_id=event_id
        )

    def _change(
        self,
        action: AuditAction,
        code: str | None,
        expected_version: int | None,
        stamp: Stamp,
        *,
        ml: int | None = None,
        order_id: str | None = None,
        reason: str | None = None,
        event_id: int | None = None,
        lifecycle: LifecycleFields = NO_LIFECYCLE,
        reserved_for: date | None = None,
    ) -> Changed | Refused:
        fields = lifecycle.as_dict()
        del fields["reverses_id"]  # the function sets it from the event it reverses
        return self._call(
            _CHANGE,
            {
                "action": action.value,
                "code": code,
                "event_id": event_id,
                "ml": ml,
                "expected_version": expected_version,
                "order_id": order_id,
                "reason": reason,
                **fields,
                **_who(stamp),
                "reserved_for": reserved_for,
            },
        )

    def _call(self, statement: str, values: dict[str, Any]) -> Changed | Refused:
        # Named by its request id while it runs: a look-up after a lost connection can
        # see that it is still executing (db/changes_in_flight.py).
        statement = marked(statement, values["request_id"])
        try:
            return _outcome(self._send(statement, values))
        except IntegrityError as error:
            if not _is_request_id_taken(error):
                raise
            # The same request id landed from elsewhere a moment ago: the winner's result.
            return _outcome(self._execute(statement, values))

    def _send(self, statement: str, values: dict[str, Any]) -> Sequence[Any]:
        try:
            return self._execute(statement, values)
        except DBAPIError as error:
            # Without a request id a resend could apply the change twice: report it instead.
            if not (error.connection_invalidated and self._resend) or values["request_id"] is None:
                raise
        self._connection = self._reconnect()
        return self._execute(statement, values)

    def _execute(self, statement: str, values: dict[str, Any]) -> Sequence[Any]:
        """One statement on the driver's cursor, its errors raised as SQLAlchemy raises
        them (a dead connection invalidated, so the pool discards it)."""
        dialect = self._connection.dialect
        driver_error = dialect.loaded_dbapi.Error
        raw = self._connection.connection.dbapi_connection
        try:
            cursor = raw.cursor()  # type: ignore[union-attr]  # open: just checked out
            try:
                cursor.execute(statement, values)
                row = cursor.fetchone()
            finally:
                cursor.close()
        except driver_error as error:
            gone = dialect.is_disconnect(error, raw, None)
            if gone:
                self._connection.invalidate(error)
            raise DBAPIError.instance(
                statement,
                values,
                error,
                driver_error,
                connection_invalidated=gone,
                dialect=dialect,
            ) from error
        if row is None:
            raise RuntimeError("the server's change function returned no row")
        return tuple(row)


def _who(stamp: Stamp) -> dict[str, Any]:
    return {
        "operator": stamp.operator,
        "workstation": stamp.workstation,
        "correlation_id": stamp.correlation_id,
        "request_id": stamp.request_id,
    }
