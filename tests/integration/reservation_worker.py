"""Code run inside the worker processes of the reservations concurrency test (and its
benchmark, tests/benchmarks/bench_reserve.py).

Like concurrent_worker.py: each worker is a spawned interpreter with its own engine (a
separate PC), importable by name with picklable arguments and results, and every worker
connects before the shared barrier so they really start together.

A desk reserves for orders (FEFO, or from a batch it names), consumes for its own order
(which draws on that order's reservation first), consumes for another order from a batch
it names (the order's desk cannot know whose litres are reserved there), scans litres
for no order on the fast path, and lets its order's reservations go. A watcher samples
the committed state all the while, in one statement per sample (one snapshot), and
records every sample that breaks the promise reservations make.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from dairy_desktop.db.database import Database
from dairy_desktop.db.models import BatchRow, ReservationRow
from dairy_desktop.domain.errors import (
    NotEnoughStock,
    NotFound,
    PlanNoLongerHolds,
    RuleRefused,
)
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.orders_consume import consume_for_order
from dairy_desktop.services.orders_reserve import reserve_for_order
from dairy_desktop.services.orders_unreserve import unreserve_order
from tests.integration.concurrent_worker import GATE_TIMEOUT_S, Gate, _open

# How often a desk does each (relative weights).
MIX = {
    "reserve fefo": 25,
    "reserve from": 10,
    "consume own": 25,
    "consume other": 15,
    "scan": 10,
    "unreserve": 15,
}
# Refused, by what the refusal says (services/refusals.py, orders_refusals.py wording).
RESERVED = "reserved for"


@dataclass(frozen=True)
class Success:
    """One change that went through: its kind, request id, order and litres asked."""

    operation: str
    request_id: str
    order_id: str | None
    milliliters: int | None  # None: an unreserve (lets go whatever the order held)


@dataclass(frozen=True)
class DeskResult:
    pid: int
    successes: list[Success] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    # (operation, why) -> count; why: "reserved", "short", "plan changed", "none held", ...
    refused: dict[tuple[str, str], int] = field(default_factory=dict)
    elapsed_s: float = 0.0


def _why(refusal: Exception) -> str:
    said = str(refusal)
    if RESERVED in said:
        return "reserved"
    if isinstance(refusal, NotEnoughStock):
        return "short"
    if isinstance(refusal, PlanNoLongerHolds):
        return "plan changed"
    if isinstance(refusal, NotFound):
        return "none held"
    return type(refusal).__name__


class _Desk:
    def __init__(
        self,
        database: Database,
        actor: Actor,
        rng: random.Random,
        codes: list[str],
        own: str,
        others: list[str],
        day: date,
    ) -> None:
        self.database, self.actor, self.rng = database, actor, rng
        self.codes, self.own, self.others, self.day = codes, own, others, day

    def _liters(self, operation: str) -> str:
        # Reservations are big and consumes small, so that most of the stock ends up
        # promised to some order and the desks keep running into each other's litres.
        # A consume for another order asks for as much as an order does: a whole pour.
        big = operation.startswith("reserve") or operation == "consume other"
        low, high = (5_000, 60_000) if big else (500, 8_000)
        return f"{self.rng.randint(low, high) / 1000:.3f}"

    def _some_batch(self) -> str:
        return self.rng.choice(self.codes)

    def act(self, operation: str) -> Success:
        send = self.actor.for_action()
        request_id = send.request_id or ""
        liters = self._liters(operation)
        ml = int(liters.replace(".", ""))
        order: str | None = self.own
        if operation == "reserve fefo":
            reserve_for_order(self.database, order, liters, self.day, actor=send)
        elif operation == "reserve from":
            lines = [(self._some_batch(), liters)]
            reserve_for_order(self.database, order, liters, self.day, actor=send, lines=lines)
        elif operation == "consume own":
            consume_for_order(self.database, order, liters, actor=send)
        elif operation == "consume other":
            order = self.rng.choice(self.others)
            lines = [(self._some_batch(), liters)]
            consume_for_order(self.database, order, liters, actor=send, lines=lines)
        elif operation == "scan":
            order = None
            consume_once(self.database, self._some_batch(), liters, actor=send)
        else:
            unreserve_order(self.database, order, actor=send)
            return Success(operation, request_id, order, None)
        return Success(operation, request_id, order, ml)


def reserve_and_consume(
    url: str,
    codes: list[str],
    own: str,
    orders: list[str],
    day: date,
    seconds: float,
    seed: int,
    gate: Gate,
    mix: dict[str, float] | None = None,
) -> DeskResult:
    """After the start signal, act for `seconds` as fast as the database answers: a
    refusal is counted by what it says and the desk carries on; anything else (a driver
    error, a deadlock, a bug) propagates and fails the test."""
    weights = mix or MIX
    names, chances = list(weights), list(weights.values())
    database = _open(url, gate)
    actor = Actor(operator=f"desk-{seed}", workstation=f"PC-{os.getpid()}")
    desk = _Desk(
        database, actor, random.Random(seed), codes, own, [o for o in orders if o != own], day
    )
    successes: list[Success] = []
    calls: Counter[str] = Counter()
    refused: Counter[tuple[str, str]] = Counter()
    try:
        gate.wait(GATE_TIMEOUT_S)
        started = time.monotonic()
        deadline = started + seconds
        while time.monotonic() < deadline:
            operation = desk.rng.choices(names, chances)[0]
            calls[operation] += 1
            try:
                successes.append(desk.act(operation))
            except (RuleRefused, PlanNoLongerHolds, NotFound) as refusal:
                refused[(operation, _why(refusal))] += 1
        elapsed = time.monotonic() - started
    finally:
        database.dispose()
    return DeskResult(os.getpid(), successes, dict(calls), dict(refused), elapsed)


@dataclass(frozen=True)
class Sample:
    """One batch as one committed snapshot showed it."""

    code: str
    initial_ml: int
    remaining_ml: int
    reserved_ml: int
    rows_ml: int  # Σ of its reservations rows
    rows: int


@dataclass(frozen=True)
class WatchResult:
    pid: int
    samples: int  # snapshots read
    most_reserved_ml: int  # the most any one snapshot showed reserved, all batches together
    broken: list[str] = field(default_factory=list)  # the first few broken samples, described


MAX_BROKEN_KEPT = 20


def sample_problems(sample: Sample) -> list[str]:
    """What a committed batch row and its reservations rows must always satisfy."""
    consumed = sample.initial_ml - sample.remaining_ml
    problems = []
    if sample.reserved_ml + consumed > sample.initial_ml:
        problems.append(f"reserved {sample.reserved_ml} + consumed {consumed} > initial")
    if sample.reserved_ml > sample.remaining_ml:
        problems.append(f"reserved {sample.reserved_ml} > remaining {sample.remaining_ml}")
    if sample.rows_ml != sample.reserved_ml:
        problems.append(f"rows hold {sample.rows_ml} mL, the batch says {sample.reserved_ml}")
    return [f"{sample.code}: {p}" for p in problems]


def read_samples(database: Database, prefix: str) -> list[Sample]:
    """Every batch whose code starts with `prefix`, with its reservations' total, read in
    ONE statement: a single snapshot on both databases, so a row and its reservations are
    seen at the same commit."""
    rows = (
        select(
            ReservationRow.batch_id,
            func.coalesce(func.sum(ReservationRow.reserved_ml), 0).label("total"),
            func.count().label("rows"),
        )
        .group_by(ReservationRow.batch_id)
        .subquery()
    )
    query = (
        select(
            BatchRow.code,
            BatchRow.initial_ml,
            BatchRow.remaining_ml,
            BatchRow.reserved_ml,
            func.coalesce(rows.c.total, 0),
            func.coalesce(rows.c.rows, 0),
        )
        .outerjoin(rows, rows.c.batch_id == BatchRow.id)
        .where(BatchRow.code.like(f"{prefix}%"))
        .order_by(BatchRow.code)
    )
    with database.engine.connect() as connection:
        return [
            Sample(code, int(initial), int(remaining), int(reserved), int(total), int(count))
            for code, initial, remaining, reserved, total, count in connection.execute(query)
        ]


def watch(url: str, prefix: str, seconds: float, gate: Gate) -> WatchResult:
    """After the start signal, sample the committed state until `seconds` have passed."""
    database = _open(url, gate)
    samples = most = 0
    broken: list[str] = []
    try:
        gate.wait(GATE_TIMEOUT_S)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            batches = read_samples(database, prefix)
            samples += 1
            most = max(most, sum(s.reserved_ml for s in batches))
            for sample in batches:
                for problem in sample_problems(sample):
                    if len(broken) < MAX_BROKEN_KEPT:
                        broken.append(f"sample {samples}: {problem}")
            time.sleep(0.005)  # leave the cores to the desks between samples
    finally:
        database.dispose()
    return WatchResult(os.getpid(), samples, most, broken)


@dataclass(frozen=True)
class PairsResult:
    """Benchmark: reserve-then-consume pairs that went through, their latencies (s)."""

    pid: int
    latencies: list[float]
    refused: int


def reserve_then_consume_for(
    url: str, order: str, day: date, liters: str, seconds: float, gate: Gate
) -> PairsResult:
    """Benchmark loop: after the start signal, for `seconds`, reserve `liters` for `order`
    (FEFO) and consume them for it (drawing on that reservation), as fast as possible."""
    database = _open(url, gate)
    actor = Actor(operator="bench", workstation=f"PC-{os.getpid()}")
    latencies: list[float] = []
    refused = 0
    try:
        try:  # warm the statements outside the measured window
            reserve_for_order(database, order, liters, day, actor=actor.for_action())
            consume_for_order(database, order, liters, actor=actor.for_action())
        except BaseException:
            gate.abort()
            raise
        gate.wait(GATE_TIMEOUT_S)
        deadline = time.perf_counter() + seconds
        while (start := time.perf_counter()) < deadline:
            try:
                reserve_for_order(database, order, liters, day, actor=actor.for_action())
                consume_for_order(database, order, liters, actor=actor.for_action())
            except (RuleRefused, PlanNoLongerHolds):
                refused += 1
                continue
            latencies.append(time.perf_counter() - start)
    finally:
        database.dispose()
    return PairsResult(os.getpid(), latencies, refused)
