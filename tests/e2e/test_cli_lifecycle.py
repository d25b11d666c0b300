"""The lifecycle on the command line: intake, QA, hold, release, recall, dispose and audit
reverse, with their exit codes, JSON keys, one-line outputs and request ids."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.services.serialize import AUDIT_KEYS
from tests.e2e.cli_runner import Outcome, run_cli
from tests.integration.lifecycle_stock import put_setting
from tests.support.databases import open_test_database

CODE = "SCH-20251204-0001"
Cli = Callable[..., Outcome]
ORDER_KEYS = {
    "order_id",
    "liters",
    "at",
    "operator",
    "workstation",
    "event_id",
    "reversed",
    "reversed_by",
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str) -> Cli:
    database = open_test_database(database_url)
    put_setting(database, "qa_release_required", "true")
    database.dispose()

    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def _register(cli: Cli, *extra: str) -> Outcome:
    return cli(
        "batches", "register", "--code", CODE, "--liters", "100", "--shelf-life-days", "5", *extra
    )


def _pass(cli: Cli, *extra: str) -> Outcome:
    return cli(
        "batches", "qa", CODE, "--test", "beta-lactam", "--result", "pass", "--analyst", "lab",
        *extra,
    )  # fmt: skip


def _refused(outcome: Outcome, code: int, *words: str) -> None:
    assert outcome.code == code, outcome.err
    assert outcome.out == ""
    assert len(outcome.err.strip().splitlines()) == 1, outcome.err
    for word in words:
        assert word in outcome.err


def test_register_records_the_intake_and_flags_a_warm_load(cli: Cli) -> None:
    outcome = _register(
        cli, "--supplier", "Hof Meier", "--tanker", "TK-7", "--seal", "S-99", "--temperature",
        "8.5", "--json",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    batch = outcome.json()
    assert (batch["supplier"], batch["tanker"], batch["seal"]) == ("Hof Meier", "TK-7", "S-99")
    assert (batch["temperature_c"], batch["temperature_over_limit"]) == ("8.5", True)
    assert (batch["qa_state"], batch["status"]) == ("pending", "pending_qa")
    assert "warning:" in outcome.err
    assert "8.5 °C, above the plant's limit of 7.0 °C" in outcome.err
    _refused(
        cli("batches", "register", "--code", "SCH-20251204-0002", "--liters", "1",
            "--shelf-life-days", "5", "--temperature", "4,5"),
        2,
        "4,5",
    )  # fmt: skip


def test_a_batch_is_consumed_only_after_qa_released_it(cli: Cli) -> None:
    _register(cli)
    _refused(cli("batches", "consume", CODE, "--liters", "1"), 5, "awaiting QA release")
    [listed] = cli("batches", "list", "--status", "pending_qa", "--json").json()
    assert listed["code"] == CODE
    released = _pass(cli, "--kit", "SNAP", "--sample-id", "S-1", "--note", "clean", "--json")
    assert released.code == 0, released.err
    item = released.json()
    assert (item["qa_state"], item["status"], item["version"]) == ("released", "fresh", 2)
    event = item["event"]
    assert list(event) == list(AUDIT_KEYS)
    assert (event["action"], event["qa_test"], event["qa_result"], event["qa_analyst"]) == (
        "qa",
        "beta-lactam",
        "pass",
        "lab",
    )
    assert (event["qa_kit"], event["qa_sample_id"]) == ("SNAP", "S-1")
    assert cli("batches", "consume", CODE, "--liters", "1").code == 0


def test_a_failed_test_rejects_and_only_a_rejected_load_disposal_is_left(cli: Cli) -> None:
    _register(cli)
    failed = cli(
        "batches", "qa", CODE, "--test", "beta-lactam", "--result", "fail", "--analyst", "lab"
    )
    assert failed.code == 0
    assert "rejected by QA" in failed.out
    assert len(failed.out.splitlines()) == 1
    _refused(cli("batches", "consume", CODE, "--liters", "1"), 5, "rejected by QA")
    _refused(_pass(cli), 5, "rejected by QA")
    _refused(
        cli("batches", "dispose", CODE, "--all", "--reason-code", "spillage"), 5, "rejected-load"
    )
    [listed] = cli("batches", "list", "--status", "rejected", "--json").json()
    assert listed["remaining_liters"] == "100.000"
    gone = cli("batches", "dispose", CODE, "--all", "--reason-code", "rejected-load", "--json")
    assert gone.code == 0, gone.err
    assert (gone.json()["remaining_liters"], gone.json()["event"]["reason_code"]) == (
        "0.000",
        "rejected-load",
    )
    _refused(cli("batches", "qa", CODE, "--test", "x", "--result", "maybe", "--analyst", "a"), 2)


def test_hold_release_and_recall_with_the_orders_that_used_the_milk(cli: Cli) -> None:
    _register(cli)
    _pass(cli)
    cli("batches", "consume", CODE, "--liters", "10", "--order", "ORDER-20251204-0001")
    cli("batches", "consume", CODE, "--liters", "2", "--order", "ORDER-20251204-0002")
    held = cli("batches", "hold", CODE, "--reason", "lab query")
    assert held.code == 0
    assert held.out.startswith(f"{CODE}: put on hold")
    assert cli("batches", "list", "--status", "on_hold", "--json").json()[0]["code"] == CODE
    _refused(cli("batches", "consume", CODE, "--liters", "1"), 5, "on hold")
    _refused(cli("batches", "hold", CODE, "--reason", "again"), 5, "on hold already")
    assert cli("batches", "release", CODE, "--reason", "clear", "--expect-version", "5").code == 0
    _refused(cli("batches", "release", CODE, "--reason", "again"), 5, "not on hold")
    recall = cli("batches", "recall", CODE, "--reason", "supplier notice", "--json")
    assert recall.code == 0, recall.err
    item = recall.json()
    assert (item["code"], item["status"], item["event"]["action"]) == (CODE, "recalled", "recall")
    assert [set(order) for order in item["orders"]] == [ORDER_KEYS, ORDER_KEYS]
    assert [(o["order_id"], o["liters"], o["operator"], o["reversed"]) for o in item["orders"]] == [
        ("ORDER-20251204-0001", "10.000", "ann", False),
        ("ORDER-20251204-0002", "2.000", "ann", False),
    ]
    _refused(cli("batches", "recall", CODE, "--reason", "again"), 5, "recalled already")
    _refused(cli("batches", "consume", CODE, "--liters", "1"), 5, "recalled")
    assert cli("batches", "list", "--status", "recalled", "--json").json()[0]["code"] == CODE
    _refused(cli("batches", "hold", "SCH-20251204-0999", "--reason", "x"), 4)
    _refused(cli("batches", "hold", CODE, "--reason", "x", "--expect-version", "2"), 3)


def test_recall_prints_the_orders_as_a_table(cli: Cli) -> None:
    _register(cli)
    _pass(cli)
    cli("batches", "consume", CODE, "--liters", "10", "--order", "ORDER-20251204-0001")
    recall = cli("batches", "recall", CODE, "--reason", "supplier notice")
    assert recall.code == 0
    lines = recall.out.splitlines()
    assert lines[0].startswith(f"{CODE}: recalled")
    assert "used by 1 consume (below)" in lines[0]
    assert lines[1].split() == [
        "order", "liters", "at", "operator", "workstation", "event", "reversed",
    ]  # fmt: skip
    assert lines[3].split()[:2] == ["ORDER-20251204-0001", "10.000"]
    assert lines[3].split()[-1] == "no"


def test_dispose_needs_a_reason_code_and_other_needs_a_note(cli: Cli) -> None:
    _register(cli)
    _refused(cli("batches", "dispose", CODE, "--liters", "1", "--reason-code", "other"), 2, "note")
    _refused(cli("batches", "dispose", CODE, "--liters", "1", "--reason-code", "evaporated"), 2)
    _refused(cli("batches", "dispose", CODE, "--liters", "1"), 2, "--reason-code")
    _refused(cli("batches", "dispose", CODE, "--reason-code", "spillage"), 2)
    _refused(
        cli("batches", "dispose", CODE, "--liters", "1", "--all", "--reason-code", "spillage"), 2
    )
    _refused(cli("batches", "dispose", CODE, "--liters", "100.5", "--reason-code", "spillage"), 5)
    done = cli(
        "batches", "dispose", CODE, "--liters", "2.5", "--reason-code", "other", "--note",
        "tipped over",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.out.startswith(f"{CODE}: 2.500 L disposed of (other), 97.500 L left")
    [event] = [e for e in cli("audit", "--json").json() if e["action"] == "dispose"]
    assert (event["liters"], event["reason_code"], event["reason"]) == (
        "2.500",
        "other",
        "tipped over",
    )


def test_audit_reverse_puts_litres_back_and_refuses_what_it_cannot_undo(cli: Cli) -> None:
    _register(cli)
    _pass(cli)
    cli("batches", "consume", CODE, "--liters", "10")
    consume_id = cli("audit", "--json").json()[-1]["id"]
    undone = cli("audit", "reverse", str(consume_id), "--reason", "wrong batch", "--json")
    assert undone.code == 0, undone.err
    item = undone.json()
    assert (item["remaining_liters"], item["version"]) == ("100.000", 4)
    assert (item["event"]["action"], item["event"]["reverses_id"], item["event"]["liters"]) == (
        "reverse",
        consume_id,
        "10.000",
    )
    trail = cli("audit", "--json").json()
    assert [e["reversed_by"] for e in trail if e["id"] == consume_id] == [item["event"]["id"]]
    _refused(cli("audit", "reverse", str(consume_id), "--reason", "x"), 5, "already reversed")
    _refused(cli("audit", "reverse", str(item["event"]["id"]), "--reason", "x"), 5, "reversal")
    _refused(cli("audit", "reverse", str(trail[0]["id"]), "--reason", "x"), 5, "only a consume")
    _refused(cli("audit", "reverse", "999999", "--reason", "x"), 4, "999999")
    _refused(cli("audit", "reverse", "twelve", "--reason", "x"), 2)
    _refused(cli("audit", "reverse", str(consume_id)), 2, "--reason")
    cli("batches", "consume", CODE, "--liters", "1")
    second = cli("audit", "--json").json()[-1]["id"]
    line = cli("audit", "reverse", str(second), "--reason", "slip").out
    reversal = cli("audit", "--json").json()[-1]["id"]
    assert line == (
        f"event {second} reversed by event {reversal}: 1.000 L back in {CODE}, "
        "100.000 L left (version 6)\n"
    )


def test_each_new_change_sent_twice_is_recorded_once(cli: Cli) -> None:
    _register(cli)
    _pass(cli)
    cli("batches", "consume", CODE, "--liters", "10")
    consume_id = cli("audit", "--json").json()[-1]["id"]
    commands = [
        ("batches", "qa", CODE, "--test", "scc", "--result", "pass", "--analyst", "lab"),
        ("batches", "hold", CODE, "--reason", "query"),
        ("batches", "release", CODE, "--reason", "clear"),
        ("batches", "dispose", CODE, "--liters", "1", "--reason-code", "lab-sample"),
        ("audit", "reverse", str(consume_id), "--reason", "slip"),
        ("batches", "recall", CODE, "--reason", "notice"),
    ]
    for number, command in enumerate(commands):
        sent = (*command, "--json", "--request-id", f"change-{number}")
        first, again = cli(*sent), cli(*sent)
        assert (first.code, again.code) == (0, 0), (command, first.err, again.err)
        assert again.json() == {**first.json(), "replayed": True}, command
        assert "already recorded at " in again.err
    trail = cli("audit", "--json").json()
    assert [e["request_id"] for e in trail[-6:]] == [f"change-{n}" for n in range(6)]
    assert cli("batches", "list", "--include-deleted", "--json").json()[0]["remaining_liters"] == (
        "99.000"
    )
    reused = cli("batches", "hold", CODE, "--reason", "query", "--request-id", "change-0")
    _refused(reused, 2, "already used for qa")


def test_the_audit_table_shows_a_lifecycle_column_only_when_it_has_a_value(cli: Cli) -> None:
    _register(cli)
    lines = cli("audit").out.splitlines()
    header = lines[0].split()
    # A registration records the QA state it started in: that column has a value.
    assert header == [*AUDIT_KEYS[: AUDIT_KEYS.index("request_id") + 1], "qa_state_after"]
    assert lines[-1].split()[-1] == "pending"
    cli("batches", "dispose", CODE, "--liters", "1", "--reason-code", "lab-sample")
    header = cli("audit").out.splitlines()[0].split()
    assert header[-2:] == ["reason_code", "qa_state_after"]
    assert "qa_test" not in header


def test_the_trail_says_the_qa_state_each_registration_and_result_left(cli: Cli) -> None:
    _register(cli)
    _pass(cli)
    cli("batches", "consume", CODE, "--liters", "1")
    trail = cli("audit", "--batch", CODE, "--json").json()
    assert [(e["action"], e["qa_state_after"]) for e in trail] == [
        ("register", "pending"),
        ("qa", "released"),
        ("consume", None),
    ]


def test_a_request_id_before_reverse_names_the_reversal(cli: Cli) -> None:
    _register(cli)
    _pass(cli)
    cli("batches", "consume", CODE, "--liters", "1")
    consume_id = cli("audit", "--json").json()[-1]["id"]
    first = cli("audit", "--request-id", "undo-1", "reverse", str(consume_id), "--reason", "x")
    again = cli("audit", "--request-id", "undo-1", "reverse", str(consume_id), "--reason", "x")
    assert (first.code, again.code) == (0, 0)
    assert "already recorded at " in again.err
    assert cli("audit", "--json").json()[-1]["request_id"] == "undo-1"
