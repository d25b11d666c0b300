"""Run database work off the GUI thread and hand results back on it.

Qt objects, and the Python wrappers of them, must be made, parented and destroyed on the
GUI thread only. So a worker thread is given nothing but the `work` callable (plain values
in, a plain value out) and a job number. The callbacks stay on the GUI thread in a dict
keyed by that number; the worker puts `(number, outcome)` on a thread-safe queue and rings
one long-lived inbox QObject, whose queued signal makes the GUI thread empty the queue and
call the callbacks. Nothing a worker holds is ever the last reference to a Qt object.

`run()` refuses work that would take a Qt object to the worker (a bound method of one, or
one in its closure, `functools.partial` arguments or defaults), and a result that is a Qt
object is refused on arrival: both would be released, or used, on the wrong thread.

`TaskRunner(synchronous=True)` runs everything inline, so tests are deterministic; the same
checks apply, so a test catches a call site that would break the rule.
"""

from __future__ import annotations

import functools
import itertools
import logging
import queue
import weakref
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[Any], None]
Report = Callable[[Any], None]

# How deep the guard follows callables found inside a work callable's closure.
_GUARD_DEPTH = 4


# --- the guard: no Qt object crosses to a worker -------------------------------------------
def _is_qt(value: object) -> bool:
    return isinstance(value, shiboken6.Shiboken.Object)


def _qt_inside(work: object, depth: int = 0) -> str | None:
    """Where `work` holds a Qt object ("closure cell 'self'", …), or None."""
    if depth > _GUARD_DEPTH:
        return None
    if _is_qt(work):
        return f"a {type(work).__name__}"
    bound_to = getattr(work, "__self__", None)
    if bound_to is not None and _is_qt(bound_to):
        return f"a method of a {type(bound_to).__name__}"
    parts: list[tuple[str, object]]
    if isinstance(work, functools.partial):
        parts = [("partial function", work.func)]
        parts += [("partial argument", arg) for arg in work.args]
        parts += [(f"partial argument {name!r}", arg) for name, arg in work.keywords.items()]
        return _first_qt(parts, depth)
    code = getattr(work, "__code__", None)
    cells = getattr(work, "__closure__", None) or ()
    names = code.co_freevars if code is not None else ()
    parts = []
    for name, cell in zip(names, cells, strict=False):
        try:
            parts.append((f"closure variable {name!r}", cell.cell_contents))
        except ValueError:  # a cell not filled yet
            continue
    parts += [("default argument", value) for value in getattr(work, "__defaults__", None) or ()]
    kwdefaults = getattr(work, "__kwdefaults__", None) or {}
    parts += [(f"default argument {name!r}", value) for name, value in kwdefaults.items()]
    return _first_qt(parts, depth)


def _first_qt(parts: list[tuple[str, object]], depth: int) -> str | None:
    for where, value in parts:
        if _is_qt(value):
            return f"{where} holding a {type(value).__name__}"
        if callable(value) and not isinstance(value, type):
            inner = _qt_inside(value, depth + 1)
            if inner is not None:
                return f"{where} → {inner}"
    return None


def check_plain_work(work: Callable[..., Any]) -> None:
    """Raise TypeError when `work` would take a Qt object to a worker thread."""
    where = _qt_inside(work)
    if where is not None:
        raise TypeError(
            f"background work {getattr(work, '__qualname__', work)!r} holds a Qt object "
            f"({where}); a worker thread may only be given plain values: copy what it needs "
            "into local variables before calling run()"
        )


# --- what travels back on the queue ---------------------------------------------------------
@dataclass(frozen=True)
class _Succeeded:
    value: Any


@dataclass(frozen=True)
class _Failed:
    error: BaseException


@dataclass(frozen=True)
class _Advanced:
    value: Any


_Outcome = _Succeeded | _Failed | _Advanced


@dataclass
class _Callbacks:
    on_done: Done | None
    on_error: Failed | None
    on_progress: Progress | None = None


class _Inbox(QObject):
    """Made on the GUI thread; a worker's `ring` arrives here queued, on that thread."""

    ring = Signal()

    def __init__(self, drain: Callable[[], None]) -> None:
        super().__init__()
        self._drain = drain
        # Queued to this object's (the GUI) thread even when rung from the GUI thread itself.
        self.ring.connect(self._rung, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _rung(self) -> None:
        self._drain()


# Inboxes live for the process: a worker may still be inside `ring.emit()` when its runner
# goes, and its reference must never be the last one (that would destroy a QObject on the
# worker thread). One small object per runner; the app makes one runner.
_INBOXES: dict[int, _Inbox] = {}
_inbox_numbers = itertools.count(1)


def _ring(inbox_number: int) -> None:
    inbox = _INBOXES.get(inbox_number)
    if inbox is not None:
        inbox.ring.emit()


def _work_on(
    inbox_number: int, job: int, outbox: queue.SimpleQueue[tuple[int, _Outcome]], work: Any
) -> None:
    """A worker thread's whole part: plain values in, plain values out."""
    try:
        outcome: _Outcome = _Succeeded(work())
    except BaseException as error:  # handed to the GUI thread, never lost
        outcome = _Failed(error)
    outbox.put((job, outcome))
    _ring(inbox_number)


class TaskRunner(QObject):
    """Starts work on a small pool; `busy_changed` drives the window's activity indicator."""

    busy_changed = Signal(bool)

    def __init__(self, *, synchronous: bool = False, max_threads: int = 2) -> None:
        super().__init__()
        self._synchronous = synchronous
        self._max_threads = max_threads
        self._executor: futures.ThreadPoolExecutor | None = None  # made on first use
        self._futures: set[futures.Future[None]] = set()
        self._callbacks: dict[int, _Callbacks] = {}
        self._jobs = itertools.count(1)
        self._outbox: queue.SimpleQueue[tuple[int, _Outcome]] = queue.SimpleQueue()
        self._closed = False
        self._inbox_number = next(_inbox_numbers)
        # Weakly: the immortal inbox must not keep this runner (and its threads) alive.
        _INBOXES[self._inbox_number] = _Inbox(_drain_weakly(self))

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        check_plain_work(work)
        if self._synchronous:
            self._run_inline(work, on_done, on_error)
            return
        self._start(work, _Callbacks(on_done, on_error))

    def run_reporting(
        self,
        work: Callable[[Report], Any],
        on_progress: Progress,
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> None:
        """Like `run`, for work that reports progress: `work(report)` may call
        `report(plain_value)` from the worker; `on_progress(value)` gets each on the GUI thread.
        """
        check_plain_work(work)
        if self._synchronous:
            self._run_inline(lambda: work(on_progress), on_done, on_error)
            return
        job = next(self._jobs)
        report = functools.partial(_report, self._inbox_number, job, self._outbox)
        self._start(
            functools.partial(work, report), _Callbacks(on_done, on_error, on_progress), job
        )

    def _start(self, work: Callable[[], Any], callbacks: _Callbacks, job: int = 0) -> None:
        if self._closed:
            log.info("background work refused: the runner is shut down")
            return
        job = job or next(self._jobs)
        if self._executor is None:
            self._executor = futures.ThreadPoolExecutor(
                self._max_threads, thread_name_prefix="dairy-task"
            )
        self._callbacks[job] = callbacks
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        self._futures = {f for f in self._futures if not f.done()}
        self._futures.add(
            self._executor.submit(_work_on, self._inbox_number, job, self._outbox, work)
        )

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
            _refuse_qt_result(result)
            if on_done is not None:
                on_done(result)

    def _drain(self) -> None:
        """On the GUI thread: hand every arrived outcome to its callbacks."""
        while True:
            try:
                job, outcome = self._outbox.get_nowait()
            except queue.Empty:
                return
            try:
                self._deliver(job, outcome)
            except BaseException:
                # A callback failed: the rest are delivered on the next pass, not stranded.
                _ring(self._inbox_number)
                raise

    def _deliver(self, job: int, outcome: _Outcome) -> None:
        if isinstance(outcome, _Advanced):
            callbacks = self._callbacks.get(job)
            if callbacks is not None and callbacks.on_progress is not None:
                callbacks.on_progress(outcome.value)
            return
        callbacks_or_none = self._callbacks.pop(job, None)
        try:
            if callbacks_or_none is None:
                return  # shut down meanwhile: nobody is waiting for it
            if isinstance(outcome, _Succeeded):
                try:
                    _refuse_qt_result(outcome.value)
                except TypeError as refused:
                    outcome = _Failed(refused)
            if isinstance(outcome, _Succeeded):
                if callbacks_or_none.on_done is not None:
                    callbacks_or_none.on_done(outcome.value)
            elif callbacks_or_none.on_error is not None:
                callbacks_or_none.on_error(outcome.error)
            else:
                log.error("background task failed", exc_info=outcome.error)
        finally:
            if callbacks_or_none is not None and not self._callbacks:
                self.busy_changed.emit(False)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """Wait up to `msecs` for the workers to finish (results arrive on the event loop)."""
        running = list(self._futures)
        if not running:
            return True
        _done, not_done = futures.wait(running, timeout=msecs / 1000)
        return not not_done

    def shutdown(self) -> None:
        """Take no more work and drop what has not started; never waits for running work.

        Running work finishes on its thread and its result is dropped quietly.
        """
        self._closed = True
        self._callbacks.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)


def _report(
    inbox_number: int, job: int, outbox: queue.SimpleQueue[tuple[int, _Outcome]], value: Any
) -> None:
    """A worker's progress report: queued as a plain value, like the result."""
    outbox.put((job, _Advanced(value)))
    _ring(inbox_number)


def _refuse_qt_result(result: object) -> None:
    if _is_qt(result):
        raise TypeError(
            f"background work returned a Qt object ({type(result).__name__}); it was made "
            "on a worker thread. Return plain values and build Qt objects on the GUI thread"
        )


def _drain_weakly(runner: TaskRunner) -> Callable[[], None]:
    ref = weakref.ref(runner)

    def drain() -> None:
        alive = ref()
        if alive is not None and shiboken6.isValid(alive):
            alive._drain()

    return drain
