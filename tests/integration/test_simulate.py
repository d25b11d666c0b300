"""The workstation simulator: a short run on each database passes every check, the checker
really catches a broken database, and the command keeps the CLI's contract.

The runs spawn real processes (one per simulated PC), so they take seconds, not milliseconds.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, insert, make_url, select, text

from dairy_desktop.db.database import open_database
from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.simulate import processes
from dairy_desktop.simulate.checks import Check, check_database
from dairy_desktop.simulate.codes import next_run, workstation_name
from dairy_desktop.simulate.config import SimulationConfig
from dairy_desktop.simulate.deliveries import stock_up
from dairy_desktop.simulate.ledger_checks import LEDGER
from dairy_desktop.simulate.report import summary
from dairy_desktop.simulate.run import SimulationResult, run_simulation
from tests.e2e.cli_runner import run_cli
from tests.integration.helpers import register
from tests.support.tamper import tampering

# Eight PCs for 15 s: long enough on two cores for hundreds of operations and real conflicts on
# the first-expiring batches, short enough to run on both databases in every test run.
WORKSTATIONS = 8
SECONDS = 15.0


def _failures(result: SimulationResult) -> str:
    return "\n".join(f"{c.name}: {c.detail}" for c in result.failed)


def _check(checks: list[Check], name: str) -> Check:
    return next(check for check in checks if check.name == name)


@pytest.mark.slow
def test_eight_workstations_for_fifteen_seconds_leave_a_consistent_database(
    database_url: str,
) -> None:
    result = run_simulation(SimulationConfig(database_url, WORKSTATIONS, SECONDS, seed=7))

    assert result.passed, _failures(result)
    data = summary(result)
    assert len(result.outcome.tallies) == WORKSTATIONS
    assert data["operations"]["consume"]["ok"] > 100
    assert data["operations"]["register"]["ok"] > 0
    assert data["operations"]["delete"]["ok"] + data["operations"]["restore"]["ok"] > 0
    # Behind the QA gate: deliveries were released by QA, held, written off and corrected.
    for operation in ("qa", "hold", "dispose", "reverse"):
        assert data["operations"][operation]["ok"] > 0, operation
    assert data["lifecycle"]["kinds"]["qa pass"] > 0
    # Operators on the first-expiring batches collide: the dialog's conflict path is exercised.
    assert data["conflicts"] > 0
    assert data["reloads"] == data["conflicts"]
    # Refusals were tried and (per the checks above) left no audit event behind.
    assert sum(data["refusals"].values()) > 0


@pytest.fixture
def short_run(database_url: str) -> SimulationResult:
    """Two PCs for two seconds: a real run whose output the tamper tests then break."""
    result = run_simulation(SimulationConfig(database_url, 2, 2.0, seed=3))
    assert result.passed, _failures(result)
    return result


def _recheck(result: SimulationResult) -> list[Check]:
    database = open_database(result.config.url, upgrade=False)
    try:
        return check_database(
            database,
            result.run,
            result.outcome.tallies,
            seeded=result.seeded,
            missing=result.outcome.missing,
        )
    finally:
        database.dispose()


def _first_batch(result: SimulationResult) -> tuple[int, str, int, int]:
    database = open_database(result.config.url, upgrade=False)
    try:
        with database.engine.connect() as connection:
            row = connection.execute(
                select(BatchRow.id, BatchRow.code, BatchRow.remaining_ml, BatchRow.version).where(
                    BatchRow.code == f"{result.run}-0000"
                )
            ).one()
        return row.id, row.code, row.remaining_ml, row.version
    finally:
        database.dispose()


def test_the_checker_catches_a_consume_event_without_its_change(
    short_run: SimulationResult,
) -> None:
    batch_id, code, remaining_ml, version = _first_batch(short_run)
    database = open_database(short_run.config.url, upgrade=False)
    try:
        # An audit event for 5 L that the batch never lost: what a non-atomic consume leaves
        # behind when its UPDATE is lost but its audit INSERT commits.
        with database.engine.begin() as connection:
            connection.execute(
                insert(AuditEventRow).values(
                    at=utc_now(),
                    batch_id=batch_id,
                    action="consume",
                    liters_ml=5000,
                    remaining_after_ml=remaining_ml - 5000,
                    version_after=version + 1,
                    operator="tamper",
                    workstation="tamper",
                )
            )
    finally:
        database.dispose()

    checks = _recheck(short_run)

    sums = _check(checks, LEDGER)
    assert not sums.passed
    assert f"batch {code}: initial " in sums.detail
    assert f"but {remaining_ml / 1000:.3f} L remain" in sums.detail
    versions = _check(checks, "versions strictly increasing per batch")
    assert f"batch {code} is at version {version} but its last audit event says" in versions.detail
    assert _check(checks, "no batch below zero").passed


def test_the_checker_catches_remaining_volume_lowered_by_hand(
    short_run: SimulationResult,
) -> None:
    _, code, remaining_ml, _ = _first_batch(short_run)
    database = open_database(short_run.config.url, upgrade=False)
    try:
        # As the owner with the triggers out of the way: PostgreSQL refuses a hand-made
        # change without its audit event at COMMIT (migration 0004).
        with tampering(database) as connection:
            connection.execute(
                text("UPDATE batches SET remaining_ml = remaining_ml - 1000 WHERE code = :code"),
                {"code": code},
            )
    finally:
        database.dispose()

    checks = _recheck(short_run)

    failed = [check for check in checks if not check.passed]
    assert [check.name for check in failed] == [LEDGER]
    assert f"batch {code}: initial " in failed[0].detail
    assert f"but {(remaining_ml - 1000) / 1000:.3f} L remain" in failed[0].detail


def test_the_checker_catches_an_operation_counted_without_its_audit_event(
    short_run: SimulationResult,
) -> None:
    tally = short_run.outcome.tallies[0]
    boasting = replace(tally, ok=tally.ok + type(tally.ok)(scan=1))
    counted = replace(
        short_run,
        outcome=replace(short_run.outcome, tallies=[boasting, *short_run.outcome.tallies[1:]]),
    )

    checks = _recheck(counted)

    match = _check(checks, "one audit event per counted operation, none for refused ones")
    assert not match.passed
    # The dialog's and the scanner's consumes, and one event per batch of an order's.
    consumes = tally.ok["consume"] + tally.ok["scan"] + tally.lines["consume"]
    assert f"{tally.workstation} consume: counted {consumes + 1}, audit has {consumes}" in (
        match.detail
    )


def test_the_command_prints_the_documented_json_and_exits_0(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    outcome = run_cli(
        capsys, database_url, "simulate", "--workstations", "2", "--duration", "1", "--json"
    )

    assert outcome.code == 0, outcome.err
    data = outcome.json()
    assert set(data) == {
        "run", "database", "workstations", "duration_s", "elapsed_s", "seed", "batches",
        "operations", "throughput_per_s", "changes_per_s", "conflicts", "conflict_rate",
        "reloads", "resubmits", "gave_up", "refusals", "lifecycle", "reservations", "checks",
        "passed",
    }  # fmt: skip
    assert set(data["operations"]) == {
        "list", "open", "history", "consume", "scan", "register", "delete", "restore",
        "qa", "hold", "release", "recall", "dispose", "reverse", "reserve", "order consume",
        "unreserve",
    }  # fmt: skip
    assert set(data["reservations"]) == {
        "reserved_liters", "unreserved_liters", "events", "refused_as_reserved"
    }  # fmt: skip
    assert set(data["lifecycle"]) == {
        "required_tests", "kinds", "disposed_liters", "reversed_liters"
    }  # fmt: skip
    assert data["lifecycle"]["required_tests"] == ["beta-lactam"]
    assert set(data["operations"]["consume"]) == {
        "calls", "ok", "conflicts", "refused", "unknown", "per_s", "p50_ms", "p95_ms"
    }  # fmt: skip
    assert data["passed"] is True
    assert all(check["passed"] for check in data["checks"])


@pytest.mark.parametrize(
    "args",
    [
        ["--workstations", "0", "--duration", "1"],
        ["--workstations", "2", "--duration", "0"],
        ["--workstations", "two", "--duration", "1"],
        ["--workstations", "2", "--duration", "1", "--batches", "0"],
        ["--duration", "1"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], sqlite_factory: object, args: list[str]
) -> None:
    url = sqlite_factory.new_url()  # type: ignore[attr-defined]
    outcome = run_cli(capsys, url, "simulate", *args)

    assert outcome.code == 2
    assert outcome.err.startswith("dairy-desktop: ")
    assert outcome.err.count("\n") == 1


def test_a_database_with_real_batches_is_refused_untouched(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    database = open_database(database_url, upgrade=False)
    try:
        register(database)
        outcome = run_cli(
            capsys, database_url, "simulate", "--workstations", "1", "--duration", "1"
        )
        with database.engine.connect() as connection:
            codes = connection.execute(select(BatchRow.code)).scalars().all()
    finally:
        database.dispose()

    assert outcome.code == 5
    assert "scratch database" in outcome.err
    assert codes == ["SCH-20251204-0001"]


def test_an_unreachable_database_exits_6(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://nobody@127.0.0.1:1/nothing"
    outcome = run_cli(capsys, url, "simulate", "--workstations", "1", "--duration", "1")

    assert outcome.code == 6
    assert outcome.err.startswith("dairy-desktop: Database unavailable")


@contextmanager
def _writes_blocked(url: str) -> Iterator[None]:
    """Hold the write lock (SQLite) or a table lock that lets reads through but no writes
    (PostgreSQL), as a stuck transaction on another PC would."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        blocker = sqlite3.connect(str(parsed.database), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            connection.execute(text("LOCK TABLE batches IN EXCLUSIVE MODE"))
            yield
            transaction.rollback()
    finally:
        engine.dispose()


@pytest.mark.slow  # waits out the grace period on purpose
def test_workstations_still_busy_after_the_grace_period_are_killed_and_reported(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(processes, "GRACE_S", 2.0)
    config = SimulationConfig(database_url, 2, 1.0)
    database = open_database(database_url, upgrade=False)
    try:
        run = next_run(database)
        seeded = stock_up(database, run, config.batches, config.seed)
        with _writes_blocked(database_url):
            started = time.monotonic()
            outcome = processes.run_workstations(config, run)
            waited = time.monotonic() - started
        checks = check_database(
            database, run, outcome.tallies, seeded=seeded, missing=outcome.missing
        )
    finally:
        database.dispose()

    names = {workstation_name(run, 0), workstation_name(run, 1)}
    assert outcome.missing == dict.fromkeys(names, "still busy after the grace period; killed")
    assert outcome.tallies == []
    assert not multiprocessing.active_children()  # killed and reaped, none left behind
    assert waited < 30  # start-up on a busy machine + 1 s + 2 s grace, not the 30 s lock wait
    reported = _check(checks, "every workstation finished without unexpected errors")
    assert not reported.passed
    assert f"{workstation_name(run, 0)}: still busy after the grace period; killed" in (
        reported.detail
    )
