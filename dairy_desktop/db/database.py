"""The application's handle on its database: engine, schema upgrade and units of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.changes_in_flight import change_in_flight
from dairy_desktop.db.engine import create_database_engine, describe_url
from dairy_desktop.db.errors import is_unavailable, unavailable_from
from dairy_desktop.db.listener import ChangeListener
from dairy_desktop.db.server_clock import server_now
from dairy_desktop.db.unit_of_work import UnitOfWork


@dataclass
class Database:
    engine: Engine
    # PostgreSQL: the engine the units of work use, its connections in autocommit mode so a
    # change is one statement with no BEGIN/COMMIT round trips (db/unit_of_work.py). Made on
    # first use; `engine` stays as it was for migrations and plain transactions.
    _work_engine: Engine | None = field(default=None, repr=False)

    @property
    def kind(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @property
    def location(self) -> str:
        """The SQLite file, or the server URL without its password."""
        if self.kind == "sqlite":
            return str(self.engine.url.database)
        return describe_url(self.engine.url.render_as_string(hide_password=False))

    def unit_of_work(self, *, write: bool = False, single_change: bool = False) -> UnitOfWork:
        return UnitOfWork(self._engine_for_work(), write=write, single_change=single_change)

    def _engine_for_work(self) -> Engine:
        if self.kind != "postgresql":
            return self.engine
        if self._work_engine is None:
            self._work_engine = create_database_engine(
                self.engine.url.render_as_string(hide_password=False),
                isolation_level="AUTOCOMMIT",
                # Nothing to roll back on return: autocommit, and a unit of work that opened a
                # transaction always ends it (a connection that could not is discarded).
                pool_reset_on_return=None,
            )
        return self._work_engine

    def change_in_flight(self, request_id: str) -> bool:
        """Whether the server is still executing a change sent with `request_id` over a
        connection since lost (SQLite: never; a change there ends with its process)."""
        if self.kind != "postgresql":
            return False
        try:
            with self._engine_for_work().connect() as connection:
                return change_in_flight(connection, request_id)
        except Exception as error:
            if is_unavailable(error):
                raise unavailable_from(error, self.kind) from error
            raise

    def server_now(self) -> datetime | None:
        """The PostgreSQL server's clock (db/server_clock.py); None on SQLite, where the PC
        is the server."""
        return server_now(self.engine) if self.kind == "postgresql" else None

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a trivial query succeeds."""
        try:
            try:
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                # A pooled connection a server restart left dead (there is no pre-ping):
                # the pool has discarded it; a fresh one tells whether the server answers.
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
        except Exception as error:
            if is_unavailable(error):
                raise unavailable_from(error, self.kind) from error
            raise

    def start_listening(
        self, on_change: Callable[[str], None], on_live: Callable[[bool], None]
    ) -> ChangeListener | None:
        """Push other PCs' committed changes (PostgreSQL LISTEN, on its own thread and
        connection); None where the database cannot push (SQLite: PCs poll instead)."""
        if self.kind != "postgresql":
            return None
        listener = ChangeListener(
            self.engine.url.render_as_string(hide_password=False), on_change, on_live
        )
        listener.start()
        return listener

    def dispose(self) -> None:
        if self._work_engine is not None:
            self._work_engine.dispose()
        self.engine.dispose()


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Connect and (by default) bring the schema up to date, as the app does on start."""
    database = Database(create_database_engine(url))
    if upgrade:
        migrate(database)
    return database


def migrate(database: Database) -> tuple[str | None, str]:
    # Alembic is imported only here: it costs ~0.2 s that commands not migrating need not pay.
    from dairy_desktop.db.migrate import upgrade_schema

    try:
        return upgrade_schema(database.engine)
    except Exception as error:
        if is_unavailable(error):
            raise unavailable_from(error, database.kind) from error
        raise
