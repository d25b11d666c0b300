"""The QA gate under concurrency: 16 PCs consume from a batch as fast as the guard answers
while the lab passes its QA, then a supervisor holds it and releases it again.

Judged from the audit order, not from the workers' clocks: every consume event comes after
the QA release, none between the hold and its release. The ledger holds, each success has
exactly one event (a re-sent request id changes nothing), and the versions form one serial
history. PostgreSQL only: there the PCs really run side by side (SQLite serialises writers,
and the gate is the same conditional statement on both). Marked slow: starting 17 processes
takes most of its ~20 s.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.managers import SyncManager
from multiprocessing.pool import Pool

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.audit_verify import verify_audit
from dairy_desktop.services.queries import get_batch
from tests.integration.gate_worker import (
    ConsumerResult,
    GateKeeperResult,
    consume_while_gated,
    release_hold_release,
)
from tests.integration.helpers import register
from tests.support.databases import PostgresFactory, open_test_database
from tests.support.qa_gate import set_qa_gate

CODE = "SCH-20251204-0001"
CONSUMERS = 16
TENTH_ML = 100
# Each stage (awaiting QA, released, on hold, released again) lasts this long; the consumers
# keep going a little past the last one.
PAUSE_S = 0.5
CONSUMING_S = 4 * PAUSE_S + 0.5
TASK_TIMEOUT_S = 180


pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture(scope="module")
def workers() -> Iterator[tuple[Pool, SyncManager]]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(CONSUMERS + 1) as pool:
        yield pool, manager


def _run(
    workers: tuple[Pool, SyncManager], url: str
) -> tuple[list[ConsumerResult], GateKeeperResult]:
    """The 16 consumers and the gatekeeper, each on its own process, released together."""
    pool, manager = workers
    gate = manager.Barrier(CONSUMERS + 1)
    consumers = pool.starmap_async(
        consume_while_gated,
        [(url, CODE, "0.1", CONSUMING_S, f"op-{n}", gate) for n in range(CONSUMERS)],
        chunksize=1,
    )
    keeper = pool.apply_async(release_hold_release, (url, CODE, PAUSE_S, gate))
    return consumers.get(timeout=TASK_TIMEOUT_S), keeper.get(timeout=TASK_TIMEOUT_S)


def _events(database: Database) -> list[AuditEvent]:
    return list_audit(database, AuditFilter(batch_code=CODE))


@dataclass(frozen=True)
class GatedRun:
    database: Database
    batch: Batch  # as registered: awaiting QA
    results: list[ConsumerResult]
    keeper: GateKeeperResult


@pytest.fixture(scope="module")
def gated_run(
    postgres_factory: PostgresFactory, workers: tuple[Pool, SyncManager]
) -> Iterator[GatedRun]:
    """One run, judged by each test below from its own angle (the processes cost ~1 s of
    CPU each to start, the run itself 2.5 s)."""
    url = postgres_factory.new_url()
    database = open_test_database(url)
    try:
        set_qa_gate(database, True)
        batch = register(database, CODE, "1000")
        results, keeper = _run(workers, url)
        yield GatedRun(database, batch, results, keeper)
    finally:
        database.dispose()
        postgres_factory.drop(url)


def test_the_batch_waited_for_qa_and_every_pc_ran_in_its_own_process(
    gated_run: GatedRun,
) -> None:
    assert gated_run.batch.qa_state is QaState.PENDING
    pids = {r.pid for r in gated_run.results} | {gated_run.keeper.pid}
    assert len(pids) == CONSUMERS + 1


def test_no_consume_lands_before_the_qa_release_or_inside_the_hold(gated_run: GatedRun) -> None:
    keeper = gated_run.keeper
    consumes = [e for e in _events(gated_run.database) if e.action is AuditAction.CONSUME]
    # From the audit order: nothing before the release by QA, nothing inside the hold.
    assert consumes, "no consume went through at all: the test proves nothing"
    assert [e.id for e in consumes if e.id < keeper.qa_event] == []
    assert [e.id for e in consumes if keeper.hold_event < e.id < keeper.release_event] == []
    # ... while consumes did land in both open windows.
    assert any(keeper.qa_event < e.id < keeper.hold_event for e in consumes)
    assert any(e.id > keeper.release_event for e in consumes)


def test_the_pcs_kept_trying_while_it_was_blocked_and_were_told_why(
    gated_run: GatedRun,
) -> None:
    refused: Counter[str] = Counter()
    for result in gated_run.results:
        refused.update(result.refused)
    assert refused["awaiting QA"] > 0
    assert refused["on hold"] > 0
    assert refused["other"] == 0


def test_the_ledger_holds_under_the_gate(gated_run: GatedRun) -> None:
    successes = [s for r in gated_run.results for s in r.successes]
    consumes = [e for e in _events(gated_run.database) if e.action is AuditAction.CONSUME]
    initial, after = gated_run.batch.initial_ml, get_batch(gated_run.database, CODE)
    # Every success, and only those, left stock.
    assert initial - TENTH_ML * len(successes) == after.remaining_ml
    assert initial - sum(e.liters_ml or 0 for e in consumes) == after.remaining_ml
    verification = verify_audit(gated_run.database)
    assert verification.ok, verification.problems


def test_each_success_has_exactly_one_event_and_a_resend_writes_nothing(
    gated_run: GatedRun,
) -> None:
    successes = [s for r in gated_run.results for s in r.successes]
    consumes = [e for e in _events(gated_run.database) if e.action is AuditAction.CONSUME]
    # One event per success, under the request id it was sent with; each PC's first success
    # sent again came back as that same event.
    assert sorted((e.id, e.request_id) for e in consumes) == sorted(successes)
    assert all(r.resent == (True, r.successes[0][0]) for r in gated_run.results if r.successes)


def test_the_versions_form_one_serial_history(gated_run: GatedRun) -> None:
    events = _events(gated_run.database)
    after = get_batch(gated_run.database, CODE)
    keeper = gated_run.keeper
    # Register 1, then every change one version on, the last the row's.
    assert [e.version_after for e in events] == list(range(1, len(events) + 1))
    assert after.version == len(events)
    assert {e.id for e in events} >= {keeper.qa_event, keeper.hold_event, keeper.release_event}
    assert (after.qa_state, after.is_held) == (QaState.RELEASED, False)
