"""`db grants ROLE` prints SQL that is piped into psql: a role or database name must never
become a statement of its own, however it is spelt."""

from __future__ import annotations

import pytest

from dairy_desktop.db.grants import grants_for_url, grants_sql
from dairy_desktop.domain.errors import InvalidInput
from tests.e2e.cli_runner import run_cli

INJECTION = "x\nDROP TABLE batches; --"

HOSTILE_NAMES = [
    INJECTION,
    "x\rDROP TABLE batches; --",
    "x\u2028DROP TABLE batches; --",  # a line separator
    "x\x00y",
    "x\x1b[2Jy",  # a terminal escape
    "x\ty",
    "",
    "a" * 64,  # characters: one too many
    "é" * 32,  # 32 characters but 64 bytes: PostgreSQL counts bytes
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_role_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        grants_sql(name, "dairy")
    assert refused.value.field == "role"
    assert "\n" not in str(refused.value)
    assert "\r" not in str(refused.value)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_database_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        grants_sql("dairy_app", name)
    assert refused.value.field == "database_url"


def test_the_longest_names_postgresql_keeps_are_accepted() -> None:
    sql = grants_sql("a" * 63, "é" * 31 + "a")  # 63 bytes each
    assert f'TO "{"a" * 63}";' in sql


def test_a_refused_name_is_echoed_cut_short_on_one_line() -> None:
    with pytest.raises(InvalidInput) as refused:
        grants_sql("x\n" + "y" * 500, "dairy")
    message = str(refused.value)
    assert "\n" not in message
    assert "y" * 81 not in message
    assert "control characters" in message


def test_quotes_and_semicolons_stay_inside_the_quoted_name() -> None:
    sql = grants_sql('x"; DROP TABLE batches; --', 'd"; DROP TABLE batches; --')
    statements = [line for line in sql.splitlines() if not line.startswith("--")]
    assert all(line.startswith("GRANT ") and line.endswith(";") for line in statements)
    assert 'TO "x""; DROP TABLE batches; --";' in sql
    assert 'ON DATABASE "d""; DROP TABLE batches; --"' in sql


def test_no_name_is_printed_in_a_comment() -> None:
    sql = grants_sql("dairy_app", "dairy_db")
    comments = [line for line in sql.splitlines() if line.startswith("--")]
    assert comments
    assert not any("dairy_app" in line or "dairy_db" in line for line in comments)


def test_batches_get_update_only_on_the_columns_a_change_writes() -> None:
    sql = grants_sql("dairy_app", "dairy")
    assert (
        "GRANT SELECT, INSERT, UPDATE (remaining_ml, version, deleted_at, updated_at,"
        " updated_by, updated_workstation, qa_state, held_at, recalled_at, reserved_ml)"
        ' ON TABLE "public".batches TO "dairy_app";'
    ) in sql


def test_a_database_name_from_the_url_is_checked_too() -> None:
    with pytest.raises(InvalidInput) as refused:
        grants_for_url("dairy_app", "postgresql://owner@host/x%0ADROP%20TABLE%20batches;%20--")
    assert refused.value.field == "database_url"


def test_the_command_refuses_a_hostile_role_with_exit_2_and_prints_no_sql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcome = run_cli(capsys, "postgresql://owner@host/dairy", "db", "grants", INJECTION)

    assert outcome.code == 2
    assert outcome.out == ""
    assert outcome.err.count("\n") == 1  # the name's line break is shown escaped
    assert "'x\\nDROP TABLE batches; --'" in outcome.err
    assert "role name" in outcome.err
