"""One transaction per use case: leaving the block rolls back unless commit() was called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from dairy_desktop.db.engine import WRITE_OPTION
from dairy_desktop.db.errors import is_unavailable, unavailable_from
from dairy_desktop.db.repositories import AuditRepository, BatchRepository, SettingsRepository


class UnitOfWork:
    connection: Connection
    batches: BatchRepository
    audit: AuditRepository
    settings: SettingsRepository

    def __init__(self, engine: Engine, *, write: bool) -> None:
        self._engine = engine.execution_options(**{WRITE_OPTION: write}) if write else engine
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        try:
            self.connection = self._engine.connect()
            self.connection.begin()
        except Exception as error:
            if is_unavailable(error):
                raise unavailable_from(error, self._engine.url.get_backend_name()) from error
            raise
        self.batches = BatchRepository(self.connection)
        self.audit = AuditRepository(self.connection)
        self.settings = SettingsRepository(self.connection)
        return self

    def commit(self) -> None:
        self.connection.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.connection.rollback()
        except Exception as rollback_error:  # the connection may be gone already
            if exc is None or not is_unavailable(rollback_error):
                raise
        finally:
            self.connection.close()
        if exc is not None and is_unavailable(exc):
            raise unavailable_from(exc, self._engine.url.get_backend_name()) from exc
