"""Run database work off the GUI thread and hand results back on it.

`TaskRunner(synchronous=True)` runs everything inline, so tests are deterministic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from a worker arrive here queued."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Done | None, on_error: Failed | None, finish: Callable[[], None]):
        super().__init__()
        self._on_done, self._on_error, self._finish = on_done, on_error, finish
        self.succeeded.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_result(self, result: Any) -> None:
        try:
            if self._on_done is not None:
                self._on_done(result)
        finally:
            self._finish()

    @Slot(object)
    def _deliver_error(self, error: BaseException) -> None:
        try:
            if self._on_error is not None:
                self._on_error(error)
            else:
                log.error("background task failed", exc_info=error)
        finally:
            self._finish()


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # handed to the GUI thread, never lost
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Starts work on a small pool; `busy_changed` drives the window's activity indicator."""

    busy_changed = Signal(bool)

    def __init__(self, *, synchronous: bool = False, max_threads: int = 2) -> None:
        super().__init__()
        self._synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._pending: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        if self._synchronous:
            self._run_inline(work, on_done, on_error)
            return
        relay = _Relay(on_done, on_error, lambda: self._finished(relay))
        self._pending.add(relay)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(work, relay))

    def _run_inline(
        self, work: Callable[[], Any], on_done: Done | None, on_error: Failed | None
    ) -> None:
        try:
            result = work()
        except Exception as error:
            if on_error is None:
                raise
            on_error(error)
        else:
            if on_done is not None:
                on_done(result)

    def _finished(self, relay: _Relay) -> None:
        self._pending.discard(relay)
        relay.deleteLater()
        if not self._pending:
            self.busy_changed.emit(False)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
