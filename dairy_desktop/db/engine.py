"""Engine set-up for the two supported databases.

SQLite: WAL (readers never block the writer), foreign keys on, a busy timeout, and write
transactions opened with BEGIN IMMEDIATE so two PCs' writers queue instead of failing
with SQLITE_BUSY when a read lock cannot be upgraded.
SQLite runs with synchronous=FULL: in WAL mode NORMAL can lose the last transactions that
were already reported done on a power cut, and for a stock record that is a lost consume.
PostgreSQL: a connect timeout so an unreachable server is reported within seconds. No
pre-ping (a round trip before every use): a unit of work reconnects once instead when its
pooled connection turns out dead (db/unit_of_work.py), which the request id makes safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url

from dairy_desktop.db.url_checks import parse_database_url
from dairy_desktop.db.wait_limits import WaitLimits

SQLITE_BUSY_TIMEOUT_S = 30
POSTGRES_CONNECT_TIMEOUT_S = 3
WRITE_OPTION = "dairy_write"


def _set_up_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_database_engine(url: str, **kwargs: Any) -> Engine:
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
            **kwargs,
        )
        _set_up_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            # SQLAlchemy 2.1 would pick psycopg 3 for a bare URL; the app ships psycopg2.
            parsed = parsed.set(drivername="postgresql+psycopg2")
        connect_args = _bounded_waits(parsed.query, WaitLimits.from_environment())
        return create_engine(parsed, connect_args=connect_args, **kwargs)
    raise ValueError(f"unsupported database {parsed.get_backend_name()!r}")


def _bounded_waits(query: Mapping[str, Any], limits: WaitLimits) -> dict[str, Any]:
    """libpq parameters under which no wait is unbounded (see db/wait_limits.py)."""
    # psycopg2 (~20 ms) is imported only by a PostgreSQL engine: SQLite users never pay it.
    from dairy_desktop.db import answer_deadline

    answer_deadline.install(limits.answer_timeout_s, POSTGRES_CONNECT_TIMEOUT_S)
    connect_args: dict[str, Any] = {
        "connect_timeout": POSTGRES_CONNECT_TIMEOUT_S,
        "application_name": "dairy-desktop",
        # Notice a dead server on an idle connection instead of hanging on it.
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
    }
    # A URL's own settings win (connect_args would override them).
    if "options" not in query:
        connect_args["options"] = limits.session_options()
    if "tcp_user_timeout" not in query:
        connect_args["tcp_user_timeout"] = round(limits.tcp_user_timeout_s * 1000)
    return connect_args


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)
