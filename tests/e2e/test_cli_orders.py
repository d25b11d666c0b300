"""`orders pick|consume|reserve|reservations|unreserve` on the command line, both databases:
JSON shapes, exit codes, the proposal printed with a refusal, request ids, bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.cli_runner import Outcome, run_cli
from tests.integration.lifecycle_stock import put_setting
from tests.integration.orders_stock import ORDER, OTHER_ORDER, code
from tests.support.databases import open_test_database

Cli = Callable[..., Outcome]
PICK_KEYS = ["order", "liters", "lines", "short_by"]
PICK_LINE_KEYS = ["code", "liters", "expires_at", "version"]
CONSUME_LINE_KEYS = ["code", "liters", "expires_at", "version", "event_id", "remaining"]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str) -> Cli:
    # The plant's days are UTC days, as the tests count them, whatever this PC's zone.
    database = open_test_database(database_url)
    put_setting(database, "time_zone", "UTC")
    database.dispose()

    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


@pytest.fixture
def stock(cli: Cli) -> Cli:
    """0001 40 L expiring in 2 days, 0002 50 L in 3, 0003 100 L in 4."""
    received = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    for number, liters, days in ((1, "40", 2), (2, "50", 3), (3, "100", 4)):
        made = cli(
            "batches", "register", "--code", code(number), "--liters", liters,
            "--shelf-life-days", str(days), "--received", received,
        )  # fmt: skip
        assert made.code == 0, made.err
    return cli


def _snapshot(cli: Cli) -> tuple[Any, int]:
    """Every batch and the number of audit events: a refusal leaves both as they were."""
    batches = cli("batches", "list", "--include-deleted", "--json").json()
    return batches, len(cli("audit", "--json").json())


def _refused(outcome: Outcome, code: int, *words: str) -> None:
    assert outcome.code == code, outcome.err
    assert len(outcome.err.strip().splitlines()) == 1, outcome.err
    for word in words:
        assert word in outcome.err


def test_pick_proposes_fefo_lines_and_writes_nothing(stock: Cli) -> None:
    before = _snapshot(stock)
    picked = stock("orders", "pick", ORDER, "--liters", "100.5", "--json")
    assert picked.code == 0, picked.err
    item = picked.json()
    assert list(item) == PICK_KEYS
    assert [list(line) for line in item["lines"]] == [PICK_LINE_KEYS] * 3
    assert [(line["code"], line["liters"], line["version"]) for line in item["lines"]] == [
        (code(1), "40.000", 1),
        (code(2), "50.000", 1),
        (code(3), "10.500", 1),
    ]
    assert item["lines"][0]["expires_at"].endswith("Z")
    assert (item["order"], item["liters"], item["short_by"]) == (ORDER, "100.500", "0.000")
    assert _snapshot(stock) == before
    table = stock("orders", "pick", ORDER, "--liters", "200")
    assert table.code == 0
    assert "short by 10.000 L" in table.out
    assert "warning:" in table.err


def test_consume_takes_fefo_in_one_change_and_a_resend_replays_it(stock: Cli) -> None:
    done = stock("orders", "consume", ORDER, "--liters", "60", "--fefo", "--json",
                 "--request-id", "cli-run-1")  # fmt: skip
    assert done.code == 0, done.err
    item = done.json()
    assert list(item) == ["order", "liters", "request_id", "lines", "replayed"]
    assert [list(line) for line in item["lines"]] == [CONSUME_LINE_KEYS] * 2
    assert [(ln["code"], ln["liters"], ln["remaining"], ln["version"]) for ln in item["lines"]] == [
        (code(1), "40.000", "0.000", 2),
        (code(2), "20.000", "30.000", 2),
    ]
    assert (item["order"], item["liters"], item["request_id"], item["replayed"]) == (
        ORDER,
        "60.000",
        "cli-run-1",
        False,
    )
    events = stock("audit", "--json").json()
    assert sorted(e["request_id"] for e in events if e["action"] == "consume") == [
        "cli-run-1:1",
        "cli-run-1:2",
    ]
    after = _snapshot(stock)
    again = stock("orders", "consume", ORDER, "--liters", "60", "--json",
                  "--request-id", "cli-run-1")  # fmt: skip
    assert again.code == 0, again.err
    assert again.json()["replayed"] is True
    assert [ln["event_id"] for ln in again.json()["lines"]] == [
        ln["event_id"] for ln in item["lines"]
    ]
    assert "already recorded" in again.err
    assert _snapshot(stock) == after
    text = stock("orders", "consume", ORDER, "--liters", "1", "--from", f"{code(3)}:1")
    assert text.code == 0, text.err
    assert text.out.startswith(f"{ORDER}: 1.000 L consumed from 1 batch (request id ")


def test_a_refused_plan_exits_3_with_the_new_proposal_on_stdout(stock: Cli) -> None:
    assert stock("batches", "hold", code(1), "--reason", "lab query").code == 0
    before = _snapshot(stock)
    refused = stock("orders", "consume", ORDER, "--liters", "30", "--from", f"{code(1)}:30",
                    "--json")  # fmt: skip
    _refused(refused, 3, "Nothing was consumed", "on hold", "new proposal")
    proposal = refused.json()
    assert list(proposal) == PICK_KEYS
    assert [(ln["code"], ln["liters"]) for ln in proposal["lines"]] == [(code(2), "30.000")]
    assert _snapshot(stock) == before


def test_short_stock_exits_5_with_the_shortfall(stock: Cli) -> None:
    before = _snapshot(stock)
    refused = stock("orders", "consume", ORDER, "--liters", "190.001", "--json")
    _refused(refused, 5, "short by 0.001 L")
    assert refused.json()["short_by"] == "0.001"
    assert _snapshot(stock) == before
    plain = stock("orders", "consume", ORDER, "--liters", "191")
    _refused(plain, 5, "short by 1.000 L")
    assert plain.out == ""


def test_reserve_list_and_let_go(stock: Cli) -> None:
    today = datetime.now(UTC).date()
    day = (today + timedelta(days=1)).isoformat()
    made = stock("orders", "reserve", ORDER, "--liters", "60", "--for", day, "--json",
                 "--request-id", "res-cli")  # fmt: skip
    assert made.code == 0, made.err
    item = made.json()
    assert list(item) == ["order", "liters", "for", "lines"]
    assert [list(line) for line in item["lines"]] == [
        ["code", "liters", "expires_at", "at_risk"]
    ] * 2
    assert [(ln["code"], ln["liters"], ln["at_risk"]) for ln in item["lines"]] == [
        (code(1), "40.000", False),
        (code(2), "20.000", False),
    ]
    assert (item["order"], item["liters"], item["for"]) == (ORDER, "60.000", day)
    # A batch chosen that expires before the day is over is reserved, and said at risk.
    late = (today + timedelta(days=3)).isoformat()
    risky = stock("orders", "reserve", OTHER_ORDER, "--liters", "5", "--for", late,
                  "--from", f"{code(1)}:0", "--from", f"{code(3)}:5", "--json")  # fmt: skip
    _refused(risky, 2, "more than 0")
    risky = stock("orders", "reserve", OTHER_ORDER, "--liters", "5", "--for", late,
                  "--from", f"{code(2)}:5", "--json")  # fmt: skip
    assert risky.code == 0, risky.err
    assert risky.json()["lines"][0]["at_risk"] is True
    assert "at risk" in risky.err
    listed = stock("orders", "reservations", "--json")
    assert listed.code == 0, listed.err
    rows = listed.json()
    assert [list(row) for row in rows] == [
        ["order", "code", "liters", "for", "expires_at", "at_risk", "status"]
    ] * 3
    assert [(r["order"], r["code"], r["liters"], r["at_risk"]) for r in rows] == [
        (ORDER, code(1), "40.000", False),
        (ORDER, code(2), "20.000", False),
        (OTHER_ORDER, code(2), "5.000", True),
    ]
    # Another order cannot take the reserved litres by naming the batch.
    taken = stock("orders", "consume", OTHER_ORDER, "--liters", "1", "--from", f"{code(1)}:1")
    _refused(taken, 5, f"reserved for {ORDER}")
    assert stock("orders", "unreserve", ORDER).code == 0
    _refused(stock("orders", "unreserve", ORDER), 4, "has no reservations")
    assert [r["order"] for r in stock("orders", "reservations", "--json").json()] == [OTHER_ORDER]


@pytest.mark.parametrize(
    ("args", "code_", "words"),
    [
        (("consume", ORDER, "--liters", "10", "--from", "SCH-20251204-0001"), 2, "CODE:LITRES"),
        (("consume", ORDER, "--liters", "10", "--from", ":10"), 2, "CODE:LITRES"),
        (("consume", ORDER, "--liters", "-10"), 2, "more than 0"),
        (("consume", ORDER, "--liters", "1,5"), 2, "not a number"),
        (("consume", ORDER, "--liters", "10", "--from", f"{code(1)}:5"), 2, "add up to"),
        (("consume", "order-1", "--liters", "10"), 2, "Order id"),
        (("consume", ORDER, "--liters", "1", "--from", "SCH\x07X:1"), 2, "control character"),
        (("consume", ORDER, "--liters", "1", "--from", f"{code(99)}:1"), 4, "No batch"),
        (("reserve", ORDER, "--liters", "1", "--for", "2025-02-30"), 2, "not a date"),
        (("reserve", ORDER, "--liters", "1", "--for", "2020-01-01"), 2, "before today"),
        (("pick", ORDER, "--liters", "0"), 2, "more than 0"),
        (("consume", ORDER, "--liters", "1", "--request-id", "x" * 61), 2, "at most 60"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    stock: Cli, args: tuple[str, ...], code_: int, words: str
) -> None:
    before = _snapshot(stock)
    refused = stock("orders", *args)
    _refused(refused, code_, words)
    assert refused.out == ""
    assert _snapshot(stock) == before
