"""The simulator's lifecycle actions, driven in this process (no spawned PCs, no thinking),
and the end-of-run checks on what they leave: the QA gate, holds, write-offs and reversals
pass every check, and a consume that got past a hold or the gate is caught.

Fast on purpose: the multi-process runs in test_simulate.py cost seconds each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate import desk, lifecycle_work, workstation
from dairy_desktop.simulate.checks import Check, check_database
from dairy_desktop.simulate.codes import batch_code, next_run, own_sequences, workstation_name
from dairy_desktop.simulate.deliveries import stock_up
from dairy_desktop.simulate.gate_checks import no_consume_while_blocked
from dairy_desktop.simulate.plant_gate import require_qa_release
from dairy_desktop.simulate.snapshot import read_snapshot
from dairy_desktop.simulate.workstation import Workstation
from tests.integration.helpers import ANN, register
from tests.support.tamper import tampering

GATE_CHECK = "no consume while pending, held, rejected or recalled (audit order)"
ROUNDS = 8  # of every action: enough for each to succeed at least once from this seed
SEEDED = 4
ROUND = ("register", "qa", "consume", "scan", "hold", "release", "dispose", "consume", "reverse")


@dataclass
class Worked:
    database: Database
    run: str
    workstation: Workstation
    seeded: Counter[str]

    def checks(self) -> list[Check]:
        return check_database(
            self.database, self.run, [self.workstation.tally], seeded=self.seeded, missing={}
        )


@pytest.fixture
def worked(
    database_url: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Worked]:
    """One PC, behind the QA gate, that registered, tested, held, released, consumed, wrote
    off and reversed, round after round."""
    for module in (workstation, lifecycle_work):
        monkeypatch.setattr(module, "THINK_S", (0.0, 0.0))
        monkeypatch.setattr(module, "RECHECK_S", (0.0, 0.0))
    monkeypatch.setattr(desk, "FIFO_SHARE", 1.0)
    run = next_run(database)
    require_qa_release(database, run)
    seeded = stock_up(database, run, SEEDED, seed=5)
    actor = Actor(operator="sim-one", workstation=workstation_name(run, 0))
    session = AppSession(open_database(database_url, upgrade=False), actor)
    pc = Workstation(session, run, own_sequences(0, 1, first=SEEDED), seed=11)
    try:
        pc.browse()
        for _ in range(ROUNDS):
            for name in ROUND:
                pc._attempt(name, getattr(pc, name))  # refusals counted, as in a run
        yield Worked(database, run, pc, seeded)
    finally:
        session.close()


def test_the_set_up_releases_its_opening_stock_through_qa(worked: Worked) -> None:
    assert worked.seeded == Counter(register=SEEDED, qa=SEEDED)
    opening = get_batch(worked.database, batch_code(worked.run, 0))
    assert opening.qa_state is QaState.RELEASED


def test_every_lifecycle_action_succeeds_and_every_check_passes(worked: Worked) -> None:
    tally = worked.workstation.tally

    checks = worked.checks()

    assert [c for c in checks if not c.passed] == []
    assert tally.errors == []
    for operation in ("register", "qa", "consume", "hold", "release", "dispose", "reverse"):
        assert tally.ok[operation] > 0, operation
    assert tally.kinds["qa pass"] > 0
    assert tally.disposed_ml > 0
    assert tally.reversed_ml > 0
    # New deliveries wait for QA: the operator never consumed one before it passed.
    gate = next(c for c in checks if c.name == GATE_CHECK)
    assert gate.detail.startswith(f"{tally.ok['consume'] + tally.ok['scan']} consumes placed")


def _consume_behind_the_guard(database: Database, code: str, liters_ml: int) -> None:
    """A consume the guard never saw: the row and its event changed together, as a bypass
    of the conditional statement would leave them (so only the gate check can tell)."""
    with tampering(database) as connection:
        row = connection.execute(
            text("SELECT id, remaining_ml, version FROM batches WHERE code = :code"),
            {"code": code},
        ).one()
        connection.execute(
            text(
                "UPDATE batches SET remaining_ml = remaining_ml - :ml, version = version + 1"
                " WHERE id = :id"
            ),
            {"ml": liters_ml, "id": row.id},
        )
        connection.execute(
            text(
                "INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml,"
                " version_after, operator, workstation) VALUES (:at, :batch,"
                " 'consume', :ml, :left, :version, 'intruder', 'nowhere')"
            ),
            {
                "at": "2025-12-04 07:00:00.000000",
                "batch": row.id,
                "ml": liters_ml,
                "left": row.remaining_ml - liters_ml,
                "version": row.version + 1,
            },
        )


def test_a_consume_while_the_batch_was_on_hold_is_caught(worked: Worked) -> None:
    code = batch_code(worked.run, 1)
    batch = get_batch(worked.database, code)
    if not batch.is_held:
        hold_once(worked.database, code, reason="lab report awaited", actor=ANN.for_action())

    _consume_behind_the_guard(worked.database, code, 1000)

    failed = [c for c in worked.checks() if not c.passed]
    assert [c.name for c in failed] == [GATE_CHECK]
    assert f"batch {code}: audit event " in failed[0].detail
    assert "consumes it while it was on hold" in failed[0].detail


def test_a_consume_before_the_qa_release_is_caught(worked: Worked) -> None:
    code = batch_code(worked.run, 9000)
    register(worked.database, code, "100")  # the gate is on: it waits for QA
    assert get_batch(worked.database, code).qa_state is QaState.PENDING

    _consume_behind_the_guard(worked.database, code, 500)

    failed = [c for c in worked.checks() if not c.passed]
    assert [c.name for c in failed] == [GATE_CHECK]
    assert f"batch {code}: audit event 2 " in failed[0].detail
    assert "while it was awaiting QA" in failed[0].detail


def test_the_gate_check_counts_the_consumes_it_judged(worked: Worked) -> None:
    snapshot = read_snapshot(worked.database, worked.run)
    consumes = sum(e.action == "consume" for events in snapshot.events.values() for e in events)

    check = no_consume_while_blocked(snapshot)

    assert check.passed
    assert check.detail.startswith(f"{consumes} consumes placed among ")
