"""Reservations under concurrency: 16 PCs reserve, consume and let go on the same few
batches at once, on both databases, while a watcher samples what is committed.

Each PC (a spawned process with its own engine) reserves for its order (FEFO, or from a
batch it names), consumes for its own order (drawing on its reservation first), consumes
for another order from a batch it names, scans litres for no order, and unreserves its
order. Two PCs share each order, so draws on one reservation race too. Judged from three
angles that do not share code with `audit verify`: the watcher's snapshots during the
run (reserved + consumed never above what the batch had, reserved never above what is
left, the reservations rows adding up to the batch's reserved_ml); a replay of every
batch's audit trail (no reserve promised litres already promised, no consume took
another order's reserved litres, the replayed reservations are the table's); and the
PCs' own counts (each success is one group of audit events, each refusal none). Then
`audit verify` must pass too. Marked slow: 17 processes and two runs take ~40 s.
"""

from __future__ import annotations

import multiprocessing
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from multiprocessing.managers import SyncManager
from multiprocessing.pool import Pool

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.audit_verify import verify_audit
from dairy_desktop.services.queries import list_batches
from dairy_desktop.services.reservations import list_reservations
from tests.integration.helpers import register
from tests.integration.reservation_worker import (
    DeskResult,
    WatchResult,
    read_samples,
    reserve_and_consume,
    sample_problems,
    watch,
)
from tests.support.databases import PostgresFactory, SqliteFactory, open_test_database

PREFIX = "RSV-20251204-"
# Four batches expiring a day apart, small beside what the orders want, so that most of
# the stock is promised to some order most of the time.
BATCHES = {f"{PREFIX}{n:04d}": (150 + 50 * n, 3 + n) for n in range(1, 5)}  # L, shelf days
ORDERS = [f"ORDER-20251204-{n:04d}" for n in range(1, 9)]
DESKS = 16
SECONDS = 6.0
TASK_TIMEOUT_S = 240
ACTION_OF = {
    "reserve fefo": AuditAction.RESERVE,
    "reserve from": AuditAction.RESERVE,
    "consume own": AuditAction.CONSUME,
    "consume other": AuditAction.CONSUME,
    "scan": AuditAction.CONSUME,
    "unreserve": AuditAction.UNRESERVE,
}
RESERVES = ("reserve fefo", "reserve from")
CONSUMES = ("consume own", "consume other", "scan")

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def workers() -> Iterator[tuple[Pool, SyncManager]]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(DESKS + 1) as pool:
        yield pool, manager


@dataclass(frozen=True)
class Run:
    kind: str
    database: Database
    desks: list[DeskResult]
    watcher: WatchResult
    day: date

    @property
    def elapsed_s(self) -> float:
        return max(desk.elapsed_s for desk in self.desks)


def _run(workers: tuple[Pool, SyncManager], url: str, database: Database, day: date) -> Run:
    pool, manager = workers
    gate = manager.Barrier(DESKS + 1)
    codes = list(BATCHES)
    desks = pool.starmap_async(
        reserve_and_consume,
        [
            (url, codes, ORDERS[n % len(ORDERS)], ORDERS, day, SECONDS, n, gate)
            for n in range(DESKS)
        ],
        chunksize=1,
    )
    watcher = pool.apply_async(watch, (url, PREFIX, SECONDS + 0.5, gate))
    return Run(
        database.kind,
        database,
        desks.get(timeout=TASK_TIMEOUT_S),
        watcher.get(timeout=TASK_TIMEOUT_S),
        day,
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def run(request: pytest.FixtureRequest, workers: tuple[Pool, SyncManager]) -> Iterator[Run]:
    """One run per database, judged by each test below from its own angle."""
    factory: SqliteFactory | PostgresFactory = request.getfixturevalue(f"{request.param}_factory")
    url = factory.new_url()
    database = open_test_database(url)
    try:
        now = datetime.now(UTC)
        for code, (liters, days) in BATCHES.items():
            register(database, code, str(liters), days=days, received=now - timedelta(hours=1))
        # Two days on: a plant day that is not yet past in any time zone, inside every
        # batch's shelf life.
        yield _run(workers, url, database, (now + timedelta(days=2)).date())
    finally:
        database.dispose()
        factory.drop(url)


def _events(database: Database) -> list[AuditEvent]:
    return [e for e in list_audit(database) if e.batch_code.startswith(PREFIX)]


def _counts(run: Run) -> tuple[Counter[str], Counter[str], Counter[tuple[str, str]]]:
    calls: Counter[str] = Counter()
    refused: Counter[tuple[str, str]] = Counter()
    ok: Counter[str] = Counter()
    for desk in run.desks:
        calls.update(desk.calls)
        refused.update(desk.refused)
        ok.update(success.operation for success in desk.successes)
    return calls, ok, refused


def test_every_pc_ran_in_its_own_process_and_every_kind_of_work_happened(run: Run) -> None:
    assert len({d.pid for d in run.desks} | {run.watcher.pid}) == DESKS + 1
    calls, ok, refused = _counts(run)
    for operation in ACTION_OF:
        assert ok[operation] > 0, (operation, dict(ok), dict(refused))
    # The PCs really got in each other's way: litres reserved for other orders were
    # refused to consumes, and reserves found the stock already promised.
    assert sum(refused[(op, "reserved")] for op in CONSUMES) > 0, dict(refused)
    assert sum(n for (op, _), n in refused.items() if op in RESERVES) > 0, dict(refused)
    # Nothing but the refusals the rules give.
    known = {"reserved", "short", "plan changed", "none held", "NotEnoughLeft"}
    assert {why for _, why in refused} <= known, dict(refused)
    assert sum(calls.values()) == sum(ok.values()) + sum(refused.values())


def test_the_watcher_never_saw_more_promised_than_the_batch_had(run: Run) -> None:
    watcher = run.watcher
    assert watcher.broken == []
    assert watcher.samples > 20  # it did look, all through the run
    assert watcher.most_reserved_ml > 0  # ... while litres were reserved


def test_the_final_state_keeps_the_promise_too(run: Run) -> None:
    samples = read_samples(run.database, PREFIX)
    assert [s.code for s in samples] == list(BATCHES)
    assert [p for s in samples for p in sample_problems(s)] == []
    assert {s.code: s.initial_ml for s in samples} == {
        code: liters * 1000 for code, (liters, _) in BATCHES.items()
    }


# order id -> (mL held, planned day)
Held = dict[str, tuple[int, date | None]]


def _replay(trail: list[AuditEvent]) -> tuple[int, Held, list[str]]:
    """A batch's remaining mL and reservations as its events tell them, and every event
    that broke a reservation's promise. Written apart from audit verify's replay."""
    remaining, held, problems = 0, Held(), []
    for event in trail:
        litres, order = event.liters_ml or 0, event.order_id
        total = sum(ml for ml, _ in held.values())
        own = held.get(order, (0, None))[0] if order else 0
        where = f"event {event.id} ({event.action.value} {litres} mL for {order})"
        if event.action is AuditAction.REGISTER:
            remaining = litres
        elif event.action is AuditAction.RESERVE:
            if litres > remaining - total:
                problems.append(
                    f"{where} promised litres promised already ({total} of {remaining})"
                )
            held[order or ""] = (own + litres, event.reserved_for)
        elif event.action is AuditAction.UNRESERVE:
            if held.pop(order or "", (0, None))[0] != litres or litres == 0:
                problems.append(f"{where} let go of other than {order} held ({own} mL)")
        elif event.action is AuditAction.CONSUME:
            others = total - own
            if litres > remaining - others:
                problems.append(f"{where} took litres reserved for others ({others} mL)")
            if order and own:
                draw = min(own, litres)
                if own > draw:
                    held[order] = (own - draw, held[order][1])
                else:
                    del held[order]
            remaining -= litres
        else:
            problems.append(f"{where}: no such action in this run")
        if remaining != event.remaining_after_ml:
            problems.append(f"{where} says {event.remaining_after_ml} mL left, replay {remaining}")
    return remaining, held, problems


def test_no_order_ever_took_another_orders_reserved_litres_and_the_table_agrees(
    run: Run,
) -> None:
    trails: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in _events(run.database):
        trails[event.batch_code].append(event)
    batches = {b.code: b for b in list_batches(run.database, include_deleted=True).batches}
    stored: dict[str, Held] = defaultdict(dict)
    for reservation in list_reservations(run.database):
        stored[reservation.batch_code][reservation.order_id] = (
            reservation.reserved_ml,
            reservation.planned_for,
        )
    draws = 0
    for code in BATCHES:
        remaining, held, problems = _replay(trails[code])
        assert problems == [], code
        assert remaining == batches[code].remaining_ml, code
        assert held == stored[code], code
        assert sum(ml for ml, _ in held.values()) == batches[code].reserved_ml, code
        draws += sum(1 for e in trails[code] if e.action is AuditAction.CONSUME and e.order_id)
    assert all(day == run.day for h in stored.values() for _, day in h.values())
    assert draws > 0
    verification = verify_audit(run.database)
    assert verification.ok, verification.problems


def test_each_success_is_one_group_of_audit_events_and_each_refusal_none(run: Run) -> None:
    groups: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in _events(run.database):
        if event.action is not AuditAction.REGISTER:
            groups[event.correlation_id or ""].append(event)
    successes = {s.request_id: s for desk in run.desks for s in desk.successes}
    assert len(successes) == sum(len(desk.successes) for desk in run.desks)
    assert set(groups) == set(successes)
    for request_id, success in successes.items():
        group = groups[request_id]
        assert {e.action for e in group} == {ACTION_OF[success.operation]}, success
        assert {e.order_id for e in group} == {success.order_id}, success
        if success.milliliters is not None:
            assert sum(e.liters_ml or 0 for e in group) == success.milliliters, success
        # Lines of one change of several batches are R:1, R:2, ...; a scan is just R.
        expected = (
            {request_id}
            if success.operation == "scan"
            else {f"{request_id}:{n}" for n in range(1, len(group) + 1)}
        )
        assert {e.request_id for e in group} == expected, success


def test_the_figures(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    """Counts and rates for the report; asserts only what makes them meaningful."""
    calls, ok, refused = _counts(run)
    elapsed = run.elapsed_s
    done = [len(d.successes) for d in run.desks]
    tried = [sum(d.calls.values()) for d in run.desks]
    reserves_refused = sum(n for (op, _), n in refused.items() if op in RESERVES)
    consumes_as_reserved = sum(
        n for (op, why), n in refused.items() if op in CONSUMES and why == "reserved"
    )
    lines = [
        f"{run.kind}: {DESKS} processes, {elapsed:.1f} s, {sum(calls.values())} calls, "
        f"{sum(calls.values()) / elapsed:.0f} ops/s ({sum(ok.values()) / elapsed:.0f} ok/s)",
        f"  reserves ok {sum(ok[o] for o in RESERVES)}, refused {reserves_refused}",
        f"  consumes ok {sum(ok[o] for o in CONSUMES)}, refused as reserved "
        f"{consumes_as_reserved}, other refusals "
        f"{sum(n for (op, why), n in refused.items() if op in CONSUMES) - consumes_as_reserved}",
        f"  unreserves ok {ok['unreserve']}, none held {refused[('unreserve', 'none held')]}",
        f"  refusals: {dict(sorted(refused.items()))}",
        f"  watcher: {run.watcher.samples} snapshots, at most "
        f"{run.watcher.most_reserved_ml / 1000:.3f} L reserved at once; successes per "
        f"desk min {min(done)} median {statistics.median(done):.0f} max {max(done)}; calls "
        f"min {min(tried)} median {statistics.median(tried):.0f} max {max(tried)}",
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert elapsed >= SECONDS
