"""One transaction per use case: leaving the block rolls back unless commit() was called."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dairy_desktop.db.engine import WRITE_OPTION
from dairy_desktop.db.errors import is_unavailable, unavailable_from
from dairy_desktop.db.repositories import AuditRepository, BatchRepository, SettingsRepository


class UnitOfWork:
    def __init__(self, engine: Engine, *, write: bool) -> None:
        self._engine = engine.execution_options(**{WRITE_OPTION: write}) if write else engine
        self._write = write
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.session = Session(bind=self._engine, expire_on_commit=False, autoflush=False)
        self.batches = BatchRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.settings = SettingsRepository(self.session)
        return self

    def commit(self) -> None:
        self.session.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        except Exception as rollback_error:  # the connection may be gone already
            if exc is None:
                raise
            if not is_unavailable(rollback_error):
                raise
        finally:
            self.session.close()
        if exc is not None and is_unavailable(exc):
            raise unavailable_from(exc, self._engine.url.get_backend_name()) from exc

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name
