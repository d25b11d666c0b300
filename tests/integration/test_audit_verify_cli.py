"""`audit verify`: exit 0 and one line when the record holds, exit 8 naming what broke."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import open_database
from tests.e2e.cli_runner import Outcome, run_cli
from tests.support.tamper import tampering

CODE = "SCH-20251204-0001"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    register = ("batches", "register", "--code", CODE, "--liters", "100")
    assert run(*register, "--shelf-life-days", "5").code == 0
    assert run("batches", "consume", CODE, "--liters", "10").code == 0
    return run


def _lower_by_hand(url: str) -> None:
    database = open_database(url, upgrade=False)
    try:
        with tampering(database) as connection:
            connection.execute(text("UPDATE batches SET remaining_ml = 1"))
    finally:
        database.dispose()


def test_an_intact_record_exits_0_with_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    outcome = cli("audit", "verify")

    assert outcome.code == 0
    assert outcome.out == "2 events, chain intact, every batch agrees with its history\n"
    assert outcome.err == ""


def test_a_mismatch_exits_8_naming_the_batch(cli, database_url: str) -> None:  # type: ignore[no-untyped-def]
    _lower_by_hand(database_url)

    outcome = cli("audit", "verify")

    assert outcome.code == 8
    assert f"1 batch disagrees with its history: {CODE}" in outcome.out
    assert "remaining mL 1 (history: 90000)" in outcome.out
    assert outcome.err.count("\n") == 1
    assert CODE in outcome.err


def test_the_json_names_the_first_broken_event_and_the_batches(  # type: ignore[no-untyped-def]
    cli, database_url: str
) -> None:
    database = open_database(database_url, upgrade=False)
    try:
        with tampering(database) as connection:
            connection.execute(text("UPDATE audit_events SET operator = 'x' WHERE id = 2"))
    finally:
        database.dispose()

    outcome = cli("audit", "verify", "--json")

    assert outcome.code == 8
    report = outcome.json()
    assert report["ok"] is False
    assert report["events"] == 2
    assert report["first_broken_event_id"] == 2
    assert report["mismatched_batches"] == [CODE]
    assert set(report) >= {"events", "ok", "first_broken_event_id", "mismatched_batches", "message"}


def test_plain_audit_keeps_working_beside_its_sub_commands(cli) -> None:  # type: ignore[no-untyped-def]
    assert [e["action"] for e in cli("audit", "--json").json()] == ["register", "consume"]
    assert "consume" in cli("audit", "--batch", CODE).out
    assert cli("audit", "--json", "verify").json()["ok"] is True


def test_self_check_fails_at_audit_verify_with_exit_8(  # type: ignore[no-untyped-def]
    cli, database_url: str
) -> None:
    _lower_by_hand(database_url)

    outcome = cli("self-check")

    assert outcome.code == 8
    assert "self-check: FAILED at audit verify — audit mismatch" in outcome.out
    assert CODE in outcome.out
