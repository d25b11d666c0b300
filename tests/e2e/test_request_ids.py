"""`--request-id` on every change command: the same id again records nothing, exits 0 with
the same JSON plus "replayed": true, and says when it was first recorded; `audit
--request-id` finds the change."""

from __future__ import annotations

import pytest

from tests.e2e.cli_runner import Outcome, run_cli

CODE = "SCH-20251204-0001"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str):  # type: ignore[no-untyped-def]
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def test_each_change_sent_twice_is_recorded_once(cli) -> None:  # type: ignore[no-untyped-def]
    register = (
        "batches",
        "register",
        "--code",
        CODE,
        "--liters",
        "10",
        "--shelf-life-days",
        "5",
        "--json",
        "--request-id",
        "delivery-1",
    )
    consume = ("batches", "consume", CODE, "--liters", "4", "--json", "--request-id", "take-1")
    for command in (register, consume):
        first, again = cli(*command), cli(*command)
        assert (first.code, again.code) == (0, 0), again.err
        assert "replayed" not in first.json()
        assert again.json() == {**first.json(), "replayed": True}
        assert "already recorded at " in again.err
        assert len(again.err.strip().splitlines()) == 1
    for action in ("delete", "restore"):
        command = ("batches", action, CODE, "--reason", "check", "--request-id", f"{action}-1")
        first, again = cli(*command), cli(*command)
        assert (first.code, again.code) == (0, 0)
        assert first.out == again.out
        assert "already recorded at " in again.err
    trail = cli("audit", "--json").json()
    assert [e["request_id"] for e in trail] == ["delivery-1", "take-1", "delete-1", "restore-1"]
    assert [e["id"] for e in trail] == sorted(e["id"] for e in trail)
    assert cli("batches", "list", "--json").json()[0]["remaining_liters"] == "6.000"


def test_audit_finds_a_change_by_its_request_id(cli) -> None:  # type: ignore[no-untyped-def]
    cli("batches", "register", "--code", CODE, "--liters", "10", "--shelf-life-days", "5")
    cli("batches", "consume", CODE, "--liters", "1", "--request-id", "job:7")
    found = cli("audit", "--request-id", "job:7", "--json")
    assert found.code == 0
    assert [(e["action"], e["request_id"]) for e in found.json()] == [("consume", "job:7")]
    assert cli("audit", "--request-id", "never-sent", "--json").json() == []
    table = cli("audit", "--request-id", "job:7")
    assert "job:7" in table.out


def test_without_a_request_id_each_invocation_is_its_own_change(cli) -> None:  # type: ignore[no-untyped-def]
    cli("batches", "register", "--code", CODE, "--liters", "10", "--shelf-life-days", "5")
    for _ in range(2):
        assert cli("batches", "consume", CODE, "--liters", "1").code == 0
    trail = cli("audit", "--json").json()
    ids = [e["request_id"] for e in trail]
    assert len(set(ids)) == 3
    assert all(ids)
    assert cli("batches", "list", "--json").json()[0]["remaining_liters"] == "8.000"


def test_a_different_change_reusing_a_request_id_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    registered = cli(
        "batches",
        "register",
        "--code",
        CODE,
        "--liters",
        "10",
        "--shelf-life-days",
        "5",
        "--request-id",
        "r1",
    )
    assert registered.code == 0, registered.err
    reused = cli("batches", "consume", CODE, "--liters", "1", "--request-id", "r1", "--json")
    assert reused.code == 2, reused.err
    assert reused.out == ""
    assert f"request id r1 was already used for register of {CODE} at " in reused.err
    assert "; use a new request id" in reused.err
    assert cli("batches", "list", "--json").json()[0]["remaining_liters"] == "10.000"
    assert [e["action"] for e in cli("audit", "--json").json()] == ["register"]
