"""`trace batch|order|recall` on the command line: tables, JSON keys, CSV files and exit
codes, on both databases; a refusal writes nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.recall_export import RECALL_COLUMNS
from dairy_desktop.services.trace_csv import TRACE_CSV_COLUMNS
from tests.e2e.cli_runner import Outcome, run_cli
from tests.integration.lifecycle_stock import put_setting
from tests.support.databases import open_test_database

CODE = "SCH-20251204-0001"
ORDER = "ORDER-20251204-0001"
Cli = Callable[..., Outcome]
BATCH_KEYS = {
    "code",
    "received_at",
    "expires_at",
    "supplier",
    "tanker",
    "seal",
    "temperature_c",
    "fat_percent",
    "initial_liters",
    "remaining_liters",
    "used_liters",
    "status",
    "orders",
    "uses",
    "disposals",
    "qa_results",
}
USE_KEYS = {
    "event_id",
    "order_id",
    "liters",
    "at",
    "operator",
    "workstation",
    "request_id",
    "reversed",
    "reversal",
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str) -> Cli:
    database = open_test_database(database_url)
    put_setting(database, "qa_release_required", "false")
    database.dispose()

    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


@pytest.fixture
def used(cli: Cli) -> Cli:
    """CODE registered with a tanker, 100 L used for ORDER, 5 L more consumed then reversed."""
    registered = cli(
        "batches", "register", "--code", CODE, "--liters", "1000", "--shelf-life-days", "5",
        "--supplier", "@SUM(A1)", "--tanker", "TK-07",
    )  # fmt: skip
    assert registered.code == 0, registered.err
    assert cli("batches", "consume", CODE, "--liters", "100", "--order", ORDER).code == 0
    assert cli("batches", "consume", CODE, "--liters", "5", "--order", ORDER).code == 0
    last = cli("audit", "--batch", CODE, "--json").json()[-1]
    assert cli("audit", "reverse", str(last["id"]), "--reason", "typo").code == 0
    return cli


def test_trace_batch_prints_its_uses_and_reversals(used: Cli) -> None:
    outcome = used("trace", "batch", CODE)
    assert outcome.code == 0, outcome.err
    assert f"Batch {CODE}" in outcome.out
    assert "Uses: 2" in outcome.out
    assert outcome.out.count(ORDER) == 2
    assert "100.000" in outcome.out
    assert "ann" in outcome.out


def test_trace_batch_json_holds_the_documented_keys_and_exact_litres(
    used: Cli, database_url: str
) -> None:
    facts = used("trace", "batch", CODE, "--json").json()
    assert set(facts) == BATCH_KEYS
    assert all(set(use) == USE_KEYS for use in facts["uses"])
    assert [use["liters"] for use in facts["uses"]] == ["100.000", "5.000"]
    assert [use["reversed"] for use in facts["uses"]] == [False, True]
    assert facts["used_liters"] == "100.000"
    assert facts["tanker"] == "TK-07"
    assert facts["uses"][0]["at"].endswith("Z")
    database = open_test_database(database_url)
    trail = list_audit(database, AuditFilter(batch_code=CODE))
    database.dispose()
    reverse = next(e for e in trail if e.action == "reverse")
    assert facts["uses"][1]["reversal"]["event_id"] == reverse.id


def test_trace_order_json_lists_the_batches_that_went_into_it(used: Cli) -> None:
    facts = used("trace", "order", ORDER, "--json").json()
    assert (facts["order_id"], facts["used_liters"]) == (ORDER, "100.000")
    assert [batch["code"] for batch in facts["batches"]] == [CODE]
    plain = used("trace", "order", ORDER)
    assert plain.code == 0
    assert f"Order {ORDER}: 100.000 L from 1 batch(es)" in plain.out


def test_trace_csv_writes_one_row_per_fact_formula_guarded(used: Cli, tmp_path: Path) -> None:
    path = tmp_path / "trace.csv"
    outcome = used("trace", "batch", CODE, "--csv", str(path))
    assert outcome.code == 0, outcome.err
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == list(TRACE_CSV_COLUMNS)
    assert [row[0] for row in rows] == ["intake", "use", "use"]
    assert rows[0][TRACE_CSV_COLUMNS.index("supplier")] == "'@SUM(A1)"


def test_trace_recall_writes_the_recall_list(used: Cli, tmp_path: Path) -> None:
    path = tmp_path / "recall.csv"
    outcome = used("trace", "recall", CODE, "--csv", str(path))
    assert outcome.code == 0, outcome.err
    assert f"Wrote 1 use(s) of batch {CODE} (100.000 L into 1 order(s): {ORDER})" in outcome.out
    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == list(RECALL_COLUMNS)
    assert [(row[0], row[6], row[7], row[8], row[9]) for row in rows] == [
        (CODE, "'@SUM(A1)", "TK-07", ORDER, "100.000")
    ]


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("trace", "batch", "XYZ-20251204-0009"), 4, "No batch with code"),
        (("trace", "order", "ORDER-20251204-0099"), 4, "No milk was ever consumed"),
        (("trace", "order", "12345"), 2, "not an order id"),
        (("trace", "recall", "XYZ-20251204-0009", "--csv", "{tmp}/r.csv"), 4, "No batch"),
        (("trace", "recall", CODE, "--csv", "{tmp}"), 2, "is a folder"),
        (("trace", "recall", CODE, "--csv", "{tmp}/no/r.csv"), 2, "does not exist"),
        (("trace", "batch", CODE, "--csv", "{tmp}"), 2, "is a folder"),
        (("trace", "recall", CODE), 2, "--csv"),
        (("trace", "batch", CODE, "--json", "--csv", "{tmp}/t.csv"), 2, "not allowed with"),
    ],
)
def test_bad_input_gets_its_exit_code_and_writes_nothing(
    used: Cli, tmp_path: Path, args: tuple[str, ...], code: int, says: str
) -> None:
    before = used("audit", "--json").json()
    outcome = used(*(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert (outcome.code, outcome.out) == (code, "")
    assert says in outcome.err
    assert list(tmp_path.iterdir()) == []
    assert used("audit", "--json").json() == before
