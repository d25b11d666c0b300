"""The simulator's order actions (reserve, consume for an order, unreserve), driven in this
process by two PCs sharing the run's orders, and the end-of-run check on reservations:
what they leave passes every check, and a reservation no event made, or an order change
counted without its events, is caught.

Fast on purpose, like test_simulate_lifecycle.py: no spawned PCs, no thinking.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.reservations import list_reservations
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate import desk, lifecycle_work, reservation_work, workstation
from dairy_desktop.simulate.checks import Check, check_database
from dairy_desktop.simulate.codes import batch_code, next_run, own_sequences, workstation_name
from dairy_desktop.simulate.deliveries import stock_up
from dairy_desktop.simulate.plant_gate import require_qa_release
from dairy_desktop.simulate.reservation_checks import NAME
from dairy_desktop.simulate.tally import Tally
from dairy_desktop.simulate.workstation import Workstation
from tests.support.tamper import tampering

ROUNDS = 12
SEEDED = 4
ROUND = ("reserve", "order consume", "scan", "reserve", "consume", "dispose", "unreserve")
COUNT_CHECK = "one audit event per counted operation, none for refused ones"


@dataclass
class Worked:
    database: Database
    run: str
    pcs: list[Workstation]
    seeded: Counter[str]

    def checks(self, tallies: list[Tally] | None = None) -> list[Check]:
        return check_database(
            self.database,
            self.run,
            tallies or [pc.tally for pc in self.pcs],
            seeded=self.seeded,
            missing={},
        )


def _check(checks: list[Check], name: str) -> Check:
    return next(check for check in checks if check.name == name)


@pytest.fixture
def worked(
    database_url: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Worked]:
    """Two PCs taking turns, round after round, on the run's shared orders."""
    for module in (workstation, lifecycle_work, reservation_work):
        monkeypatch.setattr(module, "THINK_S", (0.0, 0.0), raising=False)
        monkeypatch.setattr(module, "RECHECK_S", (0.0, 0.0), raising=False)
    monkeypatch.setattr(desk, "FIFO_SHARE", 1.0)
    run = next_run(database)
    require_qa_release(database, run)
    seeded = stock_up(database, run, SEEDED, seed=5)
    sessions = [
        AppSession(
            open_database(database_url, upgrade=False),
            Actor(operator=f"sim-{n}", workstation=workstation_name(run, n)),
        )
        for n in range(2)
    ]
    pcs = [
        Workstation(session, run, own_sequences(n, 2, first=SEEDED), seed=21 + n)
        for n, session in enumerate(sessions)
    ]
    try:
        for pc in pcs:
            pc.browse()
        for _ in range(ROUNDS):
            for name in ROUND:
                for pc in pcs:
                    action = {"order consume": pc.consume_for_order}.get(name)
                    pc._attempt(name, action or getattr(pc, name))
        yield Worked(database, run, pcs, seeded)
    finally:
        for session in sessions:
            session.close()


def test_every_order_action_succeeds_and_every_check_passes(worked: Worked) -> None:
    checks = worked.checks()
    assert [c for c in checks if not c.passed] == []
    ok: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for pc in worked.pcs:
        ok.update(pc.tally.ok)
        lines.update(pc.tally.lines)
        assert pc.tally.errors == []
    for operation in ("reserve", "order consume", "unreserve"):
        assert ok[operation] > 0, operation
    # One event per batch touched: at least one per change.
    assert lines["reserve"] >= ok["reserve"]
    assert lines["consume"] >= ok["order consume"]
    detail = _check(checks, NAME).detail
    assert f"{lines['reserve']} reserves" in detail


def test_the_pcs_ran_into_each_others_orders(worked: Worked) -> None:
    refused: Counter[str] = Counter()
    for pc in worked.pcs:
        refused.update(pc.tally.refused_as_reserved)
    assert sum(refused.values()) > 0, refused


def test_a_reservation_no_event_made_is_caught(worked: Worked) -> None:
    code = batch_code(worked.run, 0)
    with tampering(worked.database) as connection:
        connection.execute(
            text(
                "INSERT INTO reservations (batch_id, order_id, reserved_ml, planned_for, "
                "created_at, updated_at, operator, workstation) SELECT id, :order, 1000, "
                ":day, :at, :at, 'tamper', 'tamper' FROM batches WHERE code = :code"
            ),
            {
                "order": "ORDER-99999999-9999",
                "day": date(2025, 12, 6),
                "at": datetime.now(UTC),
                "code": code,
            },
        )
    checks = worked.checks()
    failed = [c.name for c in checks if not c.passed]
    assert failed == [NAME]
    assert (
        f"batch {code}: ORDER-99999999-9999 holds 1.000 L for 2025-12-06 in the table, "
        "nothing in the audit"
    ) in _check(checks, NAME).detail
    assert any(r.order_id == "ORDER-99999999-9999" for r in list_reservations(worked.database))


def test_an_order_change_counted_without_its_events_is_caught(worked: Worked) -> None:
    first = worked.pcs[0].tally
    boasting = replace(first, lines=first.lines + Counter(reserve=1))
    checks = worked.checks([boasting, worked.pcs[1].tally])
    match = _check(checks, COUNT_CHECK)
    assert not match.passed
    assert f"{first.workstation} reserve: counted {first.lines['reserve'] + 1}, audit has " in (
        match.detail
    )
