"""Code run inside the worker processes of the concurrency tests (and the benchmark).

Each worker is a separately spawned interpreter, so it opens its own engine and connections,
exactly like a second PC on the plant LAN. Everything here must be importable by name and its
arguments and results picklable: the "spawn" start method re-imports this module in the child.

A shared barrier (a `multiprocessing.Manager().Barrier`, passed as an argument) makes every
worker connect first and only then start together, so the consumes really collide instead of
running one after another while the later processes are still importing SQLAlchemy.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from time import perf_counter
from typing import Any, Protocol

from sqlalchemy import event, insert, select, update

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.errors import DairyError, NotEnoughLeft, VersionConflict
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume, consume_once
from dairy_desktop.services.queries import get_batch

# Long enough for 40 cold interpreters to import SQLAlchemy on two cores; short enough that a
# worker that died before reaching the barrier fails the test instead of hanging it.
GATE_TIMEOUT_S = 120.0


class Gate(Protocol):
    """What the workers need of a barrier (threading/multiprocessing/Manager proxies all fit)."""

    def wait(self, timeout: float | None = None) -> int: ...

    def abort(self) -> None: ...


def naive_consume(database: Database, code: str, liters: str | Decimal, *, actor: Actor) -> None:
    """DELIBERATELY WRONG: read the remaining volume, compute the new one in Python, write it.

    Exists only so a test can prove the concurrency tests catch this bug: under READ
    COMMITTED two transactions read the same remaining volume and both write "that minus
    mine", so one decrement is lost (and a nearly empty batch is oversold). Never copy it.
    """
    milliliters = to_milliliters(parse_liters(liters))
    now = utc_now()
    # A plain transaction, not the app's write unit of work: on SQLite that would take the
    # write lock up front (BEGIN IMMEDIATE) and accidentally serialise this code.
    with database.engine.begin() as connection:
        row = connection.execute(
            select(BatchRow.id, BatchRow.remaining_ml, BatchRow.version).where(
                BatchRow.code == code
            )
        ).one()
        if row.remaining_ml < milliliters:
            raise NotEnoughLeft(f"only {row.remaining_ml} mL left in {code}")
        remaining = row.remaining_ml - milliliters
        version = row.version + 1
        connection.execute(
            update(BatchRow)
            .where(BatchRow.id == row.id)
            .values(remaining_ml=remaining, version=version, updated_at=now)
        )
        connection.execute(
            insert(AuditEventRow).values(
                at=now,
                batch_id=row.id,
                action=AuditAction.CONSUME.value,
                liters_ml=milliliters,
                remaining_after_ml=remaining,
                version_after=version,
                operator=actor.operator,
                workstation=actor.workstation,
            )
        )


def _guarded_consume(database: Database, code: str, liters: str | Decimal, *, actor: Actor) -> None:
    consume(database, code, liters, actor=actor)


CONSUMERS: dict[str, Callable[..., None]] = {"guarded": _guarded_consume, "naive": naive_consume}


@dataclass(frozen=True)
class BurstResult:
    """What one worker process did: how many consumes went through, and why others did not."""

    pid: int
    successes: int
    refusals: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionedResult:
    """One worker's attempt with the version it read before the start signal."""

    pid: int
    operator: str
    seen_version: int
    succeeded: bool
    conflict_expected: int | None = None
    conflict_current_version: int | None = None
    conflict_current_remaining_ml: int | None = None
    conflict_current_updated_by: str | None = None


def _open(url: str, gate: Gate) -> Database:
    """Connect before the start signal, so connection set-up is not part of the race."""
    try:
        database = open_database(url, upgrade=False)
        database.ping()
    except BaseException:
        # Release the others at once (BrokenBarrierError) instead of letting them wait out
        # the timeout for a worker that will never arrive.
        gate.abort()
        raise
    return database


def consume_burst(
    url: str, code: str, liters: str, times: int, operator: str, method: str, gate: Gate
) -> BurstResult:
    """Wait for every worker, then consume `liters` from `code` `times` times in a row.

    Refusals are counted by class name; anything that is not a refusal (a driver error, a
    deadlock, a lock timeout) is allowed to propagate and fail the test loudly.
    """
    consumer = CONSUMERS[method]
    actor = Actor(operator=operator, workstation=f"PC-{os.getpid()}")
    database = _open(url, gate)
    successes = 0
    refusals: Counter[str] = Counter()
    try:
        gate.wait(GATE_TIMEOUT_S)
        for _ in range(times):
            try:
                consumer(database, code, liters, actor=actor)
            except DairyError as refusal:
                refusals[type(refusal).__name__] += 1
            else:
                successes += 1
    finally:
        database.dispose()
    return BurstResult(os.getpid(), successes, dict(refusals))


def consume_seen_version(
    url: str, code: str, liters: str, operator: str, gate: Gate
) -> VersionedResult:
    """Read the batch (as a dialog would show it), wait for everyone, then submit with the
    version that was read."""
    actor = Actor(operator=operator, workstation=f"PC-{os.getpid()}")
    database = _open(url, gate)
    try:
        try:
            seen = get_batch(database, code).version
        except BaseException:
            gate.abort()
            raise
        gate.wait(GATE_TIMEOUT_S)
        try:
            consume(database, code, liters, actor=actor, expected_version=seen)
        except VersionConflict as conflict:
            return VersionedResult(
                os.getpid(),
                operator,
                seen,
                succeeded=False,
                conflict_expected=conflict.expected_version,
                conflict_current_version=conflict.current.version,
                conflict_current_remaining_ml=conflict.current.remaining_ml,
                conflict_current_updated_by=conflict.current.updated_by,
            )
        return VersionedResult(os.getpid(), operator, seen, succeeded=True)
    finally:
        database.dispose()


@dataclass(frozen=True)
class TimedResult:
    """Benchmark: successful consumes and their latencies (seconds) within the window."""

    pid: int
    latencies: list[float]
    failures: int


def _override_synchronous(database: Database, synchronous: str) -> None:
    """Every new connection runs the app's set-up, then this; the pooled ones are dropped."""

    def after_the_apps(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")

    event.listen(database.engine, "connect", after_the_apps)
    database.engine.dispose()


def consume_for(
    url: str,
    code: str,
    liters: str,
    seconds: float,
    gate: Gate,
    sqlite_synchronous: str | None = None,
) -> TimedResult:
    """Benchmark loop: after the start signal, consume as fast as possible for `seconds`.
    `sqlite_synchronous` overrides the app's PRAGMA synchronous, to measure what it costs."""
    # A fresh request id per consume, as the window and the command line send: the unique
    # index on request ids is part of what every change costs.
    bench = Actor(operator="bench", workstation=f"PC-{os.getpid()}")
    database = _open(url, gate)
    if sqlite_synchronous is not None:
        _override_synchronous(database, sqlite_synchronous)
    latencies: list[float] = []
    failures = 0
    try:
        try:
            # Warm the statement path (SQLAlchemy compiles and caches it on first use)
            # outside the measured window, like a PC that has been running all morning.
            consume(database, code, liters, actor=bench.for_action())
        except BaseException:
            gate.abort()
            raise
        gate.wait(GATE_TIMEOUT_S)
        deadline = perf_counter() + seconds
        while True:
            start = perf_counter()
            if start >= deadline:
                break
            try:
                consume(database, code, liters, actor=bench.for_action())
            except DairyError:
                failures += 1
                continue
            latencies.append(perf_counter() - start)
    finally:
        database.dispose()
    return TimedResult(os.getpid(), latencies, failures)


@dataclass(frozen=True)
class RequestResult:
    """One worker's send of a change under a request id shared with the others."""

    pid: int
    replayed: bool
    remaining_ml: int
    version: int
    event_id: int


def consume_with_request_id(
    url: str, code: str, liters: str, request_id: str, gate: Gate
) -> RequestResult:
    """Wait for everyone, then send the same consume with the same request id as they do:
    a retry racing its own original."""
    actor = Actor(operator="ann", workstation=f"PC-{os.getpid()}").for_action(request_id)
    database = _open(url, gate)
    try:
        gate.wait(GATE_TIMEOUT_S)
        changed = consume_once(database, code, liters, actor=actor)
    finally:
        database.dispose()
    batch = changed.batch
    return RequestResult(
        os.getpid(), changed.replayed, batch.remaining_ml, batch.version, changed.event.id
    )
