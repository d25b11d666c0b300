"""Many PCs consuming from one batch at once, on SQLite and PostgreSQL.

Every worker is a separate spawned process with its own engine and connections (like a
separate PC), started behind a shared barrier so they really collide. One pool of 40 such
processes serves the whole module: starting a Python process that imports SQLAlchemy costs
~0.5 s of CPU, so spawning fresh ones per test would dominate the run time. Each test
returns the workers' PIDs and checks they were all different processes.

Quantities are checked in integer millilitres and exact Decimals, never floats.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from multiprocessing.managers import SyncManager
from multiprocessing.pool import Pool
from typing import TypeVar

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.queries import get_batch
from tests.integration.concurrent_worker import (
    BurstResult,
    consume_burst,
    consume_seen_version,
)
from tests.integration.helpers import BOB, register

CODE = "SCH-20251204-0001"
TENTH = "0.1"
TENTH_ML = 100
POOL_SIZE = 40
TASK_TIMEOUT_S = 180

Result = TypeVar("Result")


@pytest.fixture(scope="module")
def workers() -> Iterator[tuple[Pool, SyncManager]]:
    """40 spawned worker processes and a manager that hands out barriers they can share."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(POOL_SIZE) as pool:
        yield pool, manager


def run_together(
    workers: tuple[Pool, SyncManager],
    function: Callable[..., Result],
    argument_lists: list[tuple[object, ...]],
) -> list[Result]:
    """Run one task per worker process, all released at once by a barrier.

    A worker blocked on the barrier cannot pick up a second task, so `n` tasks behind an
    `n`-party barrier necessarily land on `n` different processes.
    """
    pool, manager = workers
    gate = manager.Barrier(len(argument_lists))
    tasks = [(*arguments, gate) for arguments in argument_lists]
    # A bounded wait: a deadlock or a stuck worker fails this test with a clear timeout
    # instead of running into the suite-wide timeout.
    return pool.starmap_async(function, tasks, chunksize=1).get(timeout=TASK_TIMEOUT_S)


def books_discrepancies(
    database: Database, code: str, initial_ml: int, successes: int
) -> list[str]:
    """Every way the batch and its audit trail disagree with `successes` consumes of 0.1 L.

    Empty means the books balance: the remaining volume is exactly what the successes
    explain, there is one consume event per success, the events add up, and the events form
    one serial history (each saw a distinct remaining volume and version).
    """
    problems: list[str] = []
    batch = get_batch(database, code)
    expected_remaining = Decimal(initial_ml) / 1000 - Decimal(TENTH) * successes
    if batch.remaining_liters != expected_remaining:
        problems.append(f"remaining {batch.remaining_liters} L, expected {expected_remaining} L")
    events = list_audit(database, AuditFilter(batch_code=code, action=AuditAction.CONSUME))
    if len(events) != successes:
        problems.append(f"{len(events)} consume events for {successes} successes")
    audited_ml = sum(event.liters_ml or 0 for event in events)
    if initial_ml - audited_ml != batch.remaining_ml:
        problems.append(
            f"initial − Σ audit = {from_milliliters(initial_ml - audited_ml)} L "
            f"≠ remaining {batch.remaining_liters} L"
        )
    serial_remaining = {initial_ml - TENTH_ML * step for step in range(1, len(events) + 1)}
    if {event.remaining_after_ml for event in events} != serial_remaining:
        problems.append("the events' remaining-after values are not one serial history")
    if sorted(event.version_after for event in events) != list(range(2, len(events) + 2)):
        problems.append("the events' versions are not one serial history")
    return problems


def total(results: list[BurstResult]) -> tuple[int, dict[str, int]]:
    refusals: dict[str, int] = {}
    for result in results:
        for name, count in result.refusals.items():
            refusals[name] = refusals.get(name, 0) + count
    return sum(result.successes for result in results), refusals


@pytest.mark.slow
def test_sixteen_processes_consuming_fifty_tenths_each_lose_nothing(
    database_url: str, database: Database, workers: tuple[Pool, SyncManager]
) -> None:
    batch = register(database, CODE, "1000")
    results = run_together(
        workers,
        consume_burst,
        [(database_url, CODE, TENTH, 50, f"op-{n}", "guarded") for n in range(16)],
    )
    assert len({result.pid for result in results}) == 16
    successes, refusals = total(results)
    assert refusals == {}
    assert successes == 16 * 50
    assert books_discrepancies(database, CODE, batch.initial_ml, successes) == []
    assert get_batch(database, CODE).remaining_liters == Decimal("920.000")


@pytest.mark.slow
def test_forty_processes_racing_for_one_litre_get_exactly_ten_tenths(
    database_url: str, database: Database, workers: tuple[Pool, SyncManager]
) -> None:
    batch = register(database, CODE, "1")
    results = run_together(
        workers,
        consume_burst,
        [(database_url, CODE, TENTH, 1, f"op-{n}", "guarded") for n in range(40)],
    )
    assert len({result.pid for result in results}) == 40
    successes, refusals = total(results)
    assert successes == 10
    assert refusals == {"NotEnoughLeft": 30}
    assert str(get_batch(database, CODE).remaining_liters) == "0.000"
    assert books_discrepancies(database, CODE, batch.initial_ml, successes) == []


@pytest.mark.slow
def test_processes_submitting_the_same_seen_version_let_exactly_one_win(
    database_url: str, database: Database, workers: tuple[Pool, SyncManager]
) -> None:
    batch = register(database, CODE, "1000")
    results = run_together(
        workers,
        consume_seen_version,
        [(database_url, CODE, "2.5", f"op-{n}") for n in range(12)],
    )
    assert len({result.pid for result in results}) == 12
    assert {result.seen_version for result in results} == {batch.version}
    winners = [result for result in results if result.succeeded]
    assert len(winners) == 1
    losers = [result for result in results if not result.succeeded]
    # Every loser was told the state the winner left: one version on, 2.5 L less, and who.
    assert {
        (
            loser.conflict_expected,
            loser.conflict_current_version,
            loser.conflict_current_remaining_ml,
            loser.conflict_current_updated_by,
        )
        for loser in losers
    } == {(batch.version, batch.version + 1, batch.initial_ml - 2500, winners[0].operator)}
    after = get_batch(database, CODE)
    assert (after.version, str(after.remaining_liters)) == (batch.version + 1, "997.500")
    events = list_audit(database, AuditFilter(batch_code=CODE, action=AuditAction.CONSUME))
    assert [(event.operator, event.liters_ml) for event in events] == [(winners[0].operator, 2500)]


# The naive read-modify-write only loses updates where two transactions can both read before
# either writes. PostgreSQL's READ COMMITTED allows that; the app's SQLite write transactions
# serialise whole transactions (and a plain SQLite transaction that tries to upgrade a stale
# read fails with "database is locked" instead of losing the write), so the proof that the
# checks above have teeth is made on PostgreSQL, where the real multi-PC risk is.
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_the_same_checks_catch_a_naive_read_modify_write(
    database_url: str, database: Database, workers: tuple[Pool, SyncManager]
) -> None:
    batch = register(database, CODE, "1000")
    results = run_together(
        workers,
        consume_burst,
        [(database_url, CODE, TENTH, 50, f"op-{n}", "naive") for n in range(16)],
    )
    assert len({result.pid for result in results}) == 16
    successes, refusals = total(results)
    assert (successes, refusals) == (800, {})
    problems = books_discrepancies(database, CODE, batch.initial_ml, successes)
    assert problems, "the naive consume lost no update: the concurrency checks prove nothing"
    # Lost updates, specifically: more milk is left on the books than was really there.
    assert get_batch(database, CODE).remaining_ml > batch.initial_ml - successes * TENTH_ML


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_naive_read_modify_write_oversells_a_nearly_empty_batch(
    database_url: str, database: Database, workers: tuple[Pool, SyncManager]
) -> None:
    register(database, CODE, "1")
    results = run_together(
        workers,
        consume_burst,
        [(database_url, CODE, TENTH, 1, f"op-{n}", "naive") for n in range(40)],
    )
    assert len({result.pid for result in results}) == 40
    successes, _ = total(results)
    # More than ten tenths of a litre handed out from one litre.
    assert successes > 10


def test_a_stale_expect_version_on_the_command_line_exits_3_and_writes_nothing(
    database_url: str, database: Database
) -> None:
    register(database, CODE, "1000")
    consume(database, CODE, "1", actor=BOB, expected_version=1)
    before = get_batch(database, CODE)
    events_before = len(list_audit(database))
    assert before.version == 2

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dairy_desktop",
            "--database-url",
            database_url,
            "batches",
            "consume",
            CODE,
            "--liters",
            "1",
            "--expect-version",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 3, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "version 2" in result.stderr
    assert result.stdout == ""
    after = get_batch(database, CODE)
    assert (after.version, after.remaining_ml) == (before.version, before.remaining_ml)
    assert len(list_audit(database)) == events_before
