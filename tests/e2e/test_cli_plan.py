"""`plan`: JSON for scripts, a table for people, exit 2 for a bad --days and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.cli_runner import Outcome, run_cli, run_process

Cli = Callable[..., Outcome]
DAY_KEYS = [
    "date",
    "available_liters",
    "reserved_liters",
    "fat_percent",
    "batches",
    "on_hold_batches",
    "awaiting_qa_batches",
]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str) -> Cli:
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def _register(cli: Cli, code: str, liters: str, fat: str) -> None:
    received = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    outcome = cli(
        "batches", "register", "--code", code, "--liters", liters, "--shelf-life-days", "2",
        "--received", received, "--fat", fat,
    )  # fmt: skip
    assert outcome.code == 0, outcome.err


def test_plan_json_gives_each_day_with_exact_litres_and_weighted_fat(cli: Cli) -> None:
    _register(cli, "SCH-20251204-0001", "1000", "3.0")
    _register(cli, "SCH-20251204-0002", "3000.250", "4.0")

    outcome = cli("plan", "--days", "3", "--json")

    assert outcome.code == 0, outcome.err
    plan = outcome.json()
    assert list(plan) == ["today", "time_zone", "days"]
    assert len(plan["days"]) == 4
    assert all(list(day) == DAY_KEYS for day in plan["days"])
    assert [day["date"] for day in plan["days"]] == sorted(day["date"] for day in plan["days"])
    (busy,) = [day for day in plan["days"] if day["batches"]]
    assert busy["available_liters"] == "4000.250"
    assert busy["reserved_liters"] == "0.000"
    assert busy["fat_percent"] == "3.75"  # (1000 × 3.0 + 3000.25 × 4.0) / 4000.25 = 3.7500…
    assert busy["batches"] == 2
    empty = [day for day in plan["days"] if not day["batches"]]
    assert all(day["fat_percent"] is None for day in empty)
    assert all(day["available_liters"] == "0.000" for day in empty)


def test_plan_defaults_to_seven_days_and_prints_a_table(cli: Cli) -> None:
    _register(cli, "SCH-20251204-0001", "1000", "3.5")

    outcome = cli("plan")

    assert outcome.code == 0, outcome.err
    lines = outcome.out.splitlines()
    assert lines[0].startswith("Plan from ")
    assert lines[1].split() == [
        "date", "available_L", "reserved_L", "fat_%", "batches", "not_released",
    ]  # fmt: skip
    assert len(lines) == 3 + 8  # title, headings, rule, today + 7 days
    assert any("1000.000" in line and "3.50" in line for line in lines[3:])


@pytest.mark.parametrize("days", ["61", "-1", "seven", "1.5", "٣"])
def test_a_bad_days_value_exits_2_with_one_line_and_changes_nothing(cli: Cli, days: str) -> None:
    _register(cli, "SCH-20251204-0001", "1000", "3.5")
    before = cli("audit", "--json").json(), cli("batches", "list", "--json").json()

    outcome = cli("plan", "--days", days)

    assert outcome.code == 2
    assert outcome.out == ""
    assert len(outcome.err.strip().splitlines()) == 1
    assert "--days" in outcome.err
    assert (cli("audit", "--json").json(), cli("batches", "list", "--json").json()) == before


def test_plan_as_a_real_process_exits_0_and_speaks_json(database_url: str) -> None:
    result = run_process(database_url, "plan", "--days", "0", "--json")

    assert result.returncode == 0, result.stderr
    assert b'"time_zone"' in result.stdout
