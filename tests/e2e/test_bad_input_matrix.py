"""Every case of the bad-input matrix (bad_input_matrix.py), on each database it applies to:
the exit code, one clear line, a short echo, the right culprit, and a refusal changes
nothing in the record."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from dairy_desktop.__main__ import main
from dairy_desktop.db.database import Database
from dairy_desktop.services.actor import make_actor
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.plant_settings import get_plant_settings, update_plant_settings
from dairy_desktop.services.queries import list_batches
from dairy_desktop.services.register import register_batch
from tests.e2e.bad_input_matrix import CASES, CODE, PLANT_ZONE, Case, fill, problems
from tests.e2e.bad_input_report import run_case
from tests.support.databases import SqliteFactory, open_test_database

ROOT = Path(__file__).resolve().parents[2]
IN_PROCESS = [c for c in CASES if c.home is None]
BOTH = [pytest.param(c, id=c.name) for c in IN_PROCESS if "postgres" in c.kinds]
SQLITE_ONLY = [pytest.param(c, id=c.name) for c in IN_PROCESS if "postgres" not in c.kinds]
OWN_HOME = [pytest.param(c, id=c.name) for c in CASES if c.home is not None]


def _set_up(url: str) -> None:
    database = open_test_database(url)
    try:
        settings = dataclasses.replace(get_plant_settings(database), time_zone=PLANT_ZONE)
        update_plant_settings(database, settings, make_actor("setup"))
        register_batch(
            database,
            code=CODE,
            liters="1000",
            shelf_life_days=5,
            actor=make_actor("setup").for_action(),
        )
    finally:
        database.dispose()


def _record(database: Database) -> tuple[object, int]:
    listing = list_batches(database, include_deleted=True)
    return [(b.code, b.remaining_ml, b.version) for b in listing.batches], len(list_audit(database))


def _places(url: str, folder: Path) -> dict[str, str]:
    textfile = folder / "notes.txt"
    textfile.write_text("this is not a database\n" * 100)
    database_file = url.removeprefix("sqlite:///")
    return {
        "url": url,
        "tmp": folder.as_posix(),
        "textfile": textfile.as_posix(),
        "readonly": f"sqlite:///file:{database_file}?mode=ro&uri=true",
    }


@pytest.fixture
def sqlite_url(sqlite_factory: SqliteFactory) -> Iterator[str]:
    url = sqlite_factory.new_url()
    yield url
    sqlite_factory.drop(url)


def _check(case: Case, url: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _set_up(url)
    places = _places(url, folder)
    target = fill(case.url, case, places)
    args = [fill(a, case, places) for a in case.args]
    database = open_test_database(url)
    try:
        before = _record(database)
        code = main(["--database-url", target, *args])
        captured = capsys.readouterr()
        assert problems(case, args, target, code, captured.out, captured.err) == [], captured.err
        if case.exit != 0:
            assert _record(database) == before, "a refused command changed the record"
    finally:
        database.dispose()


@pytest.mark.parametrize("case", BOTH)
def test_each_database_refuses_it(
    case: Case, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(case, database_url, tmp_path, capsys)


@pytest.mark.parametrize("case", SQLITE_ONLY)
def test_the_url_is_refused(
    case: Case, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(case, sqlite_url, tmp_path, capsys)


@pytest.mark.parametrize("case", OWN_HOME)
def test_a_log_that_cannot_be_written_costs_one_warning(
    case: Case, sqlite_url: str, tmp_path: Path
) -> None:
    _set_up(sqlite_url)
    assert run_case(ROOT, case, _places(sqlite_url, tmp_path), tmp_path) == []
