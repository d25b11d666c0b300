"""`report consumption` on the command line, both databases: JSON, table and CSV say the
same as the report, the CSV reads back (UTF-8, header, formula guard), and bad input exits
2 with one line naming what was wrong, writing nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from dairy_desktop.domain.consumption import Grouping
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.consumption_report import ROW_KEYS, TOTAL_KEYS
from tests.e2e.cli_runner import Outcome, run_cli
from tests.integration.consumption_stock import CODES, ORDER_A, Seeded, expected_totals, seed
from tests.support.databases import open_test_database

Cli = Callable[..., Outcome]
FORMULA_OPERATOR = '=HYPERLINK("http://x","ok")'


@pytest.fixture
def seeded(database_url: str) -> Seeded:
    database = open_test_database(database_url)
    placed = seed(database)
    # Typed text a spreadsheet would run: only an operator name can carry it here.
    consume_once(database, CODES[0], "1.5", order_id=ORDER_A, actor=Actor(FORMULA_OPERATOR, "PC-9"))
    database.dispose()
    return placed


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str, seeded: Seeded) -> Cli:
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def _liters(ml: int) -> str:
    return f"{ml // 1000}.{ml % 1000:03d}"


@pytest.mark.parametrize("by", list(Grouping))
def test_json_holds_the_audit_trails_totals(cli: Cli, database_url: str, by: Grouping) -> None:
    outcome = cli("report", "consumption", "--by", by.value, "--json")
    assert outcome.code == 0, outcome.err
    shaped = outcome.json()
    assert list(shaped) == ["by", "from", "to", "time_zone", "rows", "total"]
    assert (shaped["by"], shaped["from"], shaped["to"]) == (by.value, None, None)
    assert shaped["time_zone"] == "Europe/Berlin"
    database = open_test_database(database_url)
    groups, total = expected_totals(database, by)
    database.dispose()
    assert [list(row) for row in shaped["rows"]] == [list(ROW_KEYS)] * len(groups)
    assert {row["key"]: row["net_liters"] for row in shaped["rows"]} == {
        key: _liters(totals.net_ml) for key, totals in groups.items()
    }
    assert shaped["total"] == {
        "consumed_liters": _liters(total.consumed_ml),
        "reversed_liters": _liters(total.reversed_ml),
        "net_liters": _liters(total.net_ml),
        "consumes": total.consumes,
        "batches": total.batches,
    }


def test_dates_are_plant_days_both_included(cli: Cli, seeded: Seeded) -> None:
    day = seeded.days[1].isoformat()
    outcome = cli("report", "consumption", "--from", day, "--to", day, "--by", "day", "--json")
    assert outcome.code == 0, outcome.err
    shaped = outcome.json()
    assert (shaped["from"], shaped["to"]) == (day, day)
    assert shaped["rows"] == [
        {"key": day, "consumed_liters": "7.001", "reversed_liters": "7.001",
         "net_liters": "0.000", "consumes": 1, "batches": 1}
    ]  # fmt: skip


def test_the_table_names_the_grouping_and_ends_with_the_total(cli: Cli) -> None:
    outcome = cli("report", "consumption")
    assert outcome.code == 0, outcome.err
    lines = outcome.out.splitlines()
    assert lines[0] == "Consumption by order, the beginning to now (plant days, Europe/Berlin)"
    assert lines[1].split() == ["order", *TOTAL_KEYS]
    assert lines[-2].split() == ["(no", "order)", "15.000", "3.000", "12.000", "2", "2"]
    assert lines[-1].split() == ["total", "145.125", "10.001", "135.124", "7", "3"]


@pytest.mark.parametrize("by", list(Grouping))
def test_the_csv_reads_back_as_the_json(cli: Cli, tmp_path: Path, by: Grouping) -> None:
    target = tmp_path / "consumption.csv"
    written = cli("report", "consumption", "--by", by.value, "--csv", str(target))
    assert written.code == 0, written.err
    assert str(target) in written.out
    shaped = cli("report", "consumption", "--by", by.value, "--json").json()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    with target.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == ["row", by.value, *TOTAL_KEYS]
    expected = [
        ["group", "(no order)" if row["key"] is None else row["key"],
         *(str(row[k]) for k in TOTAL_KEYS)]
        for row in shaped["rows"]
    ]  # fmt: skip
    if by is Grouping.OPERATOR:  # the guard: an apostrophe, so Excel shows text
        expected = [
            [r[0], "'" + r[1] if r[1] == FORMULA_OPERATOR else r[1], *r[2:]] for r in expected
        ]
        assert [r[1] for r in rows if "HYPERLINK" in r[1]] == ["'" + FORMULA_OPERATOR]
    total = ["total", "", *(str(shaped["total"][k]) for k in TOTAL_KEYS)]
    assert rows == [*expected, total]


def _refused(outcome: Outcome, *words: str) -> None:
    assert outcome.code == 2, outcome.err
    assert outcome.out == ""
    assert len(outcome.err.strip().splitlines()) == 1, outcome.err
    for word in words:
        assert word in outcome.err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "2025-13-01"], ["--from", "'2025-13-01' is not a date", "YYYY-MM-DD"]),
        (["--to", "04.12.2025"], ["--to", "'04.12.2025' is not a date"]),
        (["--from", "20251204"], ["--from", "is not a date"]),
        (["--to", "1969-12-31"], ["--to", "out of range"]),
        (["--from", "2025-12-05", "--to", "2025-12-04"], ["2025-12-05 is after", "2025-12-04"]),
        (["--by", "week"], ["--by", "invalid choice", "'week'"]),
        (["--json", "--csv", "x.csv"], ["--csv", "not allowed with argument --json"]),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    cli: Cli, tmp_path: Path, args: list[str], words: list[str]
) -> None:
    target = tmp_path / "never.csv"
    extra = [] if "--csv" in args else ["--csv", str(target)]
    _refused(cli("report", "consumption", *args, *extra), *words)
    assert list(tmp_path.iterdir()) == []


def test_a_csv_path_that_can_never_be_written_is_refused_first(cli: Cli, tmp_path: Path) -> None:
    _refused(cli("report", "consumption", "--csv", str(tmp_path)), "--csv", "is a folder")
    missing = tmp_path / "no-such-folder" / "out.csv"
    _refused(cli("report", "consumption", "--csv", str(missing)), "does not exist")
    assert list(tmp_path.iterdir()) == []


def test_report_without_a_report_name_is_a_usage_error(cli: Cli) -> None:
    _refused(cli("report"), "REPORT")
