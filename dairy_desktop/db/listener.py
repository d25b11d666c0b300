"""LISTEN for committed changes on PostgreSQL, on a dedicated connection in its own thread.

Notifications are sent by the changing transaction itself (pg_notify), so they arrive only
if and when it commits. The connection is watched: if the server goes away, the listener
says so and reconnects by itself; the caller refreshes fully after a reconnect, so changes
made during the outage are not missed.
"""

from __future__ import annotations

import contextlib
import logging
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy.pool import NullPool

from dairy_desktop.db.engine import create_database_engine
from dairy_desktop.db.repositories.notify import CHANGES_CHANNEL

log = logging.getLogger(__name__)

IDLE_CHECK_S = 5.0
WAKE_S = 0.25  # how quickly stop() is noticed: closing a window must not wait seconds
RETRY_MIN_S, RETRY_MAX_S = 0.5, 5.0


class ChangeListener:
    def __init__(
        self, url: str, on_change: Callable[[str], None], on_live: Callable[[bool], None]
    ) -> None:
        self._url = url
        self._on_change, self._on_live = on_change, on_live
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="change-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _connect(self) -> Any:
        engine = create_database_engine(self._url, poolclass=NullPool)
        # Keep the pool's proxy: dropping it would close the connection underneath us.
        proxy: Any = engine.raw_connection()
        raw = proxy.driver_connection
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANGES_CHANNEL}")
        return proxy

    def _run(self) -> None:
        delay = RETRY_MIN_S
        while not self._stop.is_set():
            try:
                connection = self._connect()
            except Exception as error:
                log.info("change listener cannot connect: %s", error)
                self._on_live(False)
                self._stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            delay = RETRY_MIN_S
            self._on_live(True)
            try:
                self._listen(connection)
            except Exception as error:
                log.info("change listener lost its connection: %s", error)
                self._on_live(False)
            finally:
                with contextlib.suppress(Exception):  # already gone with the server
                    connection.close()

    def _listen(self, proxy: Any) -> None:
        connection = proxy.driver_connection
        quiet_since = time.monotonic()
        while not self._stop.is_set():
            ready, _, _ = select.select([connection], [], [], WAKE_S)
            if ready:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= IDLE_CHECK_S:
                # Quiet for a while: make sure the server is really still there.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                quiet_since = time.monotonic()
            connection.poll()
            while connection.notifies:
                self._on_change(connection.notifies.pop(0).payload)
