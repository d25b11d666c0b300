"""One transaction per use case: leaving the block rolls back unless commit() was called.

SQLite: BEGIN (IMMEDIATE for writes) on the engine's connection, as db/engine.py sets up.
PostgreSQL: connections are in autocommit mode and the transaction is ours to open, so that
- a `single_change` block sends no BEGIN and no COMMIT at all: its one change is one
  statement (db/repositories/server_changes.py) that commits by itself;
- any other block sends BEGIN first, and if that finds its pooled connection dead (a server
  restart; no pre-ping round trip is spent to find out) it reconnects once: nothing was
  sent on the dead connection yet, so nothing can have happened twice.
Only a connection the pool hands out again is retried so: one that fails on its first use
was just made, is not stale, and its failure is the network's or the server's to report
(services/exactly_once.py then finds out whether the change landed).
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.engine import WRITE_OPTION
from dairy_desktop.db.errors import is_unavailable, unavailable_from
from dairy_desktop.db.repositories import AuditRepository, BatchRepository, SettingsRepository
from dairy_desktop.db.repositories.local_changes import LocalChanges
from dairy_desktop.db.repositories.reservations import ReservationRepository
from dairy_desktop.db.repositories.server_changes import ServerChanges


def _seen_before(connection: Connection) -> bool:
    """Whether the pool handed out this driver connection before (else it was just made)."""
    info = connection.connection.info
    seen = bool(info.get("dairy_used"))
    info["dairy_used"] = True
    return seen


class UnitOfWork:
    connection: Connection
    batches: BatchRepository
    audit: AuditRepository
    settings: SettingsRepository
    reservations: ReservationRepository
    changes: LocalChanges | ServerChanges

    def __init__(self, engine: Engine, *, write: bool, single_change: bool = False) -> None:
        self._server = engine.dialect.name == "postgresql"
        # The write option only picks SQLite's BEGIN IMMEDIATE; it costs an engine copy.
        writes_first = write and not self._server
        self._engine = engine.execution_options(**{WRITE_OPTION: True}) if writes_first else engine
        self._own_transaction = self._server and not single_change
        self._committed = False
        self._pooled = False

    def __enter__(self) -> UnitOfWork:
        try:
            self._bind(self._open())
        except Exception as error:
            if is_unavailable(error):
                raise unavailable_from(error, self._engine.url.get_backend_name()) from error
            raise
        return self

    def _open(self) -> Connection:
        connection = self._engine.connect()
        self._pooled = _seen_before(connection)
        if not self._server:
            connection.begin()
        elif self._own_transaction:
            try:
                connection.exec_driver_sql("BEGIN")
            except DBAPIError as error:
                connection.close()
                if not (error.connection_invalidated and self._pooled):
                    raise
                connection = self._engine.connect()
                self._pooled = _seen_before(connection)
                connection.exec_driver_sql("BEGIN")
        return connection

    def _bind(self, connection: Connection) -> None:
        self.connection = connection
        self.batches = BatchRepository(connection)
        self.audit = AuditRepository(connection)
        self.settings = SettingsRepository(connection)
        self.reservations = ReservationRepository(connection)
        if self._server:
            # Inside our own BEGIN a change is never resent on a fresh connection: that would
            # commit it alone, outside the transaction its earlier changes died with.
            resend = self._pooled and not self._own_transaction
            self.changes = ServerChanges(connection, self._reconnect, resend=resend)
        else:
            self.changes = LocalChanges(connection)

    def _reconnect(self) -> Connection:
        """A fresh connection in place of one found dead (the pool has discarded it)."""
        self.connection.close()
        connection = self._engine.connect()
        self._pooled = _seen_before(connection)
        self._bind(connection)
        return self.connection

    def commit(self) -> None:
        if not self._server:
            self.connection.commit()
        elif self._own_transaction:
            self.connection.exec_driver_sql("COMMIT")
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                if not self._server:
                    self.connection.rollback()
                elif self._own_transaction and not self.connection.invalidated:
                    # A connection found dead took its transaction with it: nothing to undo.
                    self.connection.exec_driver_sql("ROLLBACK")
        except Exception as rollback_error:  # the connection may be gone already
            # Or it is still inside the transaction: whatever the failure, it must not go
            # back to the pool, where (no reset on return) the next one-statement change
            # would run inside that transaction and never commit.
            self.connection.invalidate(rollback_error)
            if exc is None or not is_unavailable(rollback_error):
                raise
        finally:
            self.connection.close()
        if exc is not None and is_unavailable(exc):
            raise unavailable_from(exc, self._engine.url.get_backend_name()) from exc
