"""A client-side deadline on every PostgreSQL answer.

libpq waits for a reply without limit: a server or network gone silent (the TCP
connection still open, nothing coming back) hangs the client for as long as the kernel
keeps the connection, minutes. psycopg2 lets the program do the waiting instead (a "wait
callback"); this one waits with select() up to a deadline and then gives up on the connection
with the error libpq gives for a lost one, so SQLAlchemy discards it and the app reports
the database unavailable (or, after sending a change, looks its request id up).
"""

from __future__ import annotations

import select
import time
from typing import Any

import psycopg2  # type: ignore[import-untyped]
from psycopg2 import extensions

_limits = {"answer_s": 10.0, "connect_s": 3.0}


def install(answer_s: float, connect_s: float) -> None:
    """Make every psycopg2 connection in this process wait with these deadlines."""
    _limits["answer_s"] = answer_s
    _limits["connect_s"] = connect_s
    extensions.set_wait_callback(_wait_with_deadline)


def _wait_with_deadline(connection: Any) -> None:
    connecting = connection.status == extensions.STATUS_SETUP
    allowed = _limits["connect_s"] if connecting else _limits["answer_s"]
    deadline = time.monotonic() + allowed
    while True:
        try:
            state = connection.poll()
        except KeyboardInterrupt:
            connection.cancel()
            raise
        except psycopg2.OperationalError as error:
            if not connecting:
                raise
            # Polled connects report only the reason ("Connection refused"); say where, as
            # a blocking connect does, so the operator can tell a wrong host from a wrong port.
            raise psycopg2.OperationalError(f"{_server_of(connection)} failed: {error}") from None
        if state == extensions.POLL_OK:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            # Raising is enough: psycopg2 then closes the connection itself (closing it from
            # here would wait on the lock of the query still in progress).
            what = (
                "could not connect to server"
                if connecting
                else "could not receive data from server"
            )
            raise psycopg2.OperationalError(
                f"{what}: no answer within {allowed:g} s (the server or the network is silent)"
            )
        if state == extensions.POLL_READ:
            select.select([connection.fileno()], [], [], left)
        elif state == extensions.POLL_WRITE:
            select.select([], [connection.fileno()], [], left)
        else:
            raise psycopg2.OperationalError(f"unexpected state from poll(): {state}")


def _server_of(connection: Any) -> str:
    dsn = extensions.parse_dsn(connection.dsn)
    host = dsn.get("host") or dsn.get("hostaddr") or "localhost"
    return f'connection to server at "{host}", port {dsn.get("port") or 5432}'
