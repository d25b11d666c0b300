"""PostgreSQL least privilege: a role given exactly `db grants ROLE` works every day and can
neither change the schema nor rewrite the record; a change without its audit event is
refused at COMMIT; an out-of-date schema gets one line asking for an administrator."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.alembic_upgrade import alembic_config
from dairy_desktop.db.grants import grants_sql, quote_identifier
from tests.e2e.cli_runner import run_cli
from tests.support.databases import PostgresFactory

pytestmark = pytest.mark.postgres

CODE = "SCH-20251204-0001"
ORDER = "ORDER-20251204-0001"
_roles = itertools.count()


@dataclass
class RoleDatabase:
    owner_url: str
    role_url: str


def _statements(sql: str) -> list[str]:
    """`sql` cut at each `;` that ends a line; comment lines are dropped one by one, never
    the statement that follows them in the same chunk."""
    statements = []
    for chunk in sql.split(";\n"):
        code = "\n".join(line for line in chunk.splitlines() if not line.lstrip().startswith("--"))
        if code.strip():
            statements.append(code)
    return statements


def _execute_as(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in _statements(sql):
                connection.execute(text(statement))
    finally:
        engine.dispose()


def test_the_splitter_keeps_a_statement_that_follows_a_comment() -> None:
    assert _statements("-- one\n-- two\nGRANT a;\nGRANT b;\n-- end\n") == ["GRANT a", "GRANT b"]


def _daily_role(factory: PostgresFactory, *, revision: str | None) -> Iterator[RoleDatabase]:
    """A fresh database (migrated by its owner to `revision`, default the newest) and a
    login role holding only the printed grants for it."""
    owner_url = factory.new_url()
    role = f"dairy_daily_{next(_roles)}"
    database = make_url(owner_url).database
    assert database is not None
    if revision is not None:
        _downgrade_to(owner_url, revision)
    grants = grants_sql(role, database)
    if revision is not None:  # tables and columns added after `revision` cannot be granted yet
        later_tables = ["reservations"] + (["plant_setting_changes"] if revision < "0004" else [])
        grants = "\n".join(
            line for line in grants.splitlines() if not any(t in line for t in later_tables)
        ).replace(", qa_state, held_at, recalled_at, reserved_ml", "")
    _execute_as(owner_url, f"CREATE ROLE {role} LOGIN;\n")
    _execute_as(owner_url, grants)
    role_url = make_url(owner_url).set(username=role).render_as_string(hide_password=False)
    yield RoleDatabase(owner_url, role_url)
    factory.drop(owner_url)
    _execute_as(owner_url.rsplit("/", 1)[0] + "/postgres", f"DROP ROLE {role};\n")


def _downgrade_to(url: str, revision: str) -> None:
    config = alembic_config()
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


@pytest.fixture
def daily(postgres_factory: PostgresFactory) -> Iterator[RoleDatabase]:
    yield from _daily_role(postgres_factory, revision=None)


@pytest.fixture
def granted_before_the_lifecycle(postgres_factory: PostgresFactory) -> Iterator[RoleDatabase]:
    yield from _daily_role(postgres_factory, revision="0004")


@pytest.fixture
def outdated(postgres_factory: PostgresFactory) -> Iterator[RoleDatabase]:
    yield from _daily_role(postgres_factory, revision="0003")


def test_the_daily_role_does_the_days_work(
    daily: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    def ok(*args: str) -> str:
        outcome = run_cli(capsys, daily.role_url, *args)
        assert outcome.code == 0, outcome.err
        return outcome.out

    ok("batches", "register", "--code", CODE, "--liters", "100", "--shelf-life-days", "5")
    ok("batches", "consume", CODE, "--liters", "10")
    ok("batches", "delete", CODE, "--reason", "spilt")
    ok("batches", "restore", CODE, "--reason", "found")
    assert CODE in ok("batches", "list")
    assert "consume" in ok("audit", "--batch", CODE)
    assert ok("audit", "verify").startswith("4 events, chain intact")


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "ALTER TABLE batches ADD COLUMN note text",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "UPDATE audit_events SET operator = 'x'",
        "DELETE FROM plant_setting_changes",
        "CREATE TABLE scratch (id int)",
        "DROP TABLE batches",
    ],
)
def test_the_daily_role_cannot_change_the_schema_or_rewrite_the_record(
    daily: RoleDatabase, statement: str
) -> None:
    with pytest.raises(DBAPIError) as refused:
        _execute_as(daily.role_url, statement + ";\n")
    assert getattr(refused.value.orig, "pgcode", None) == "42501"  # insufficient privilege


_FIXED_COLUMNS = {
    "code": "code = 'SCH-20251204-0999'",
    "received_at": "received_at = received_at - interval '1 day'",
    "shelf_life_days": "shelf_life_days = 30",
    "expires_at": "expires_at = expires_at + interval '10 days'",
    "initial_ml": "initial_ml = initial_ml + 1000",
    "fat_centi": "fat_centi = 350",
    # The intake (migration 0005) is what the receiving bay recorded: fixed too.
    "supplier": "supplier = 'Other Farm'",
    "tanker": "tanker = 'TK-0'",
    "seal": "seal = 'S-0'",
    "temperature_deci": "temperature_deci = 40",
}


def _batch_row(url: str) -> tuple[object, ...]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return tuple(connection.execute(text("SELECT * FROM batches")).one())
    finally:
        engine.dispose()


@pytest.mark.parametrize("column", _FIXED_COLUMNS)
def test_the_daily_role_cannot_update_what_a_batch_is(
    daily: RoleDatabase, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    register = ("batches", "register", "--code", CODE, "--liters", "100")
    assert run_cli(capsys, daily.role_url, *register, "--shelf-life-days", "5").code == 0
    before = _batch_row(daily.owner_url)

    with pytest.raises(DBAPIError) as refused:
        _execute_as(daily.role_url, f"UPDATE batches SET {_FIXED_COLUMNS[column]};\n")

    assert getattr(refused.value.orig, "pgcode", None) == "42501"  # no UPDATE on that column
    assert _batch_row(daily.owner_url) == before


def test_the_daily_role_cannot_set_updated_at_into_the_future(
    daily: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    register = ("batches", "register", "--code", CODE, "--liters", "100")
    assert run_cli(capsys, daily.role_url, *register, "--shelf-life-days", "5").code == 0
    before = _batch_row(daily.owner_url)

    with pytest.raises(DBAPIError, match="ahead of the server clock"):
        _execute_as(daily.role_url, "UPDATE batches SET updated_at = now() + interval '10 days';\n")

    assert _batch_row(daily.owner_url) == before


def test_a_direct_update_of_a_batch_is_refused_at_commit(
    daily: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    register = ("batches", "register", "--code", CODE, "--liters", "100")
    assert run_cli(capsys, daily.role_url, *register, "--shelf-life-days", "5").code == 0
    assert run_cli(capsys, daily.role_url, "batches", "consume", CODE, "--liters", "10").code == 0
    engine = create_engine(daily.role_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("UPDATE batches SET remaining_ml = initial_ml"))  # accepted…
            with pytest.raises(DBAPIError, match="without its audit event"):
                connection.commit()  # …until COMMIT
            connection.rollback()
            remaining = connection.execute(text("SELECT remaining_ml FROM batches")).scalar_one()
    finally:
        engine.dispose()
    assert remaining == 90_000
    assert run_cli(capsys, daily.role_url, "audit", "verify").code == 0


def _refused_at_commit(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
            with pytest.raises(DBAPIError, match="without its audit event"):
                connection.commit()
    finally:
        engine.dispose()


def test_an_older_audit_event_does_not_cover_a_new_change(
    daily: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    register = ("batches", "register", "--code", CODE, "--liters", "100")
    assert run_cli(capsys, daily.role_url, *register, "--shelf-life-days", "5").code == 0
    # Same version and litres as the register event, but that event is another transaction's.
    _refused_at_commit(daily.role_url, "UPDATE batches SET deleted_at = now()")


def test_a_batch_inserted_by_hand_is_refused_at_commit(daily: RoleDatabase) -> None:
    _refused_at_commit(
        daily.role_url,
        "INSERT INTO batches (code, received_at, shelf_life_days, expires_at, initial_ml,"
        " remaining_ml, version, updated_at) VALUES ('X', now(), 5, now() + interval '5 days',"
        " 1000, 1000, 1, now())",
    )


# Legal once quoted, and each one would be SQL of its own if the quoting leaked.
AWKWARD_ROLES = [
    'x"; DROP TABLE batches; --',
    "Molkerei Süd -- täglich; DROP TABLE audit_events",
    "é" * 31 + "a",  # 63 bytes, the most PostgreSQL keeps
]


def _psql() -> str:
    found = shutil.which("psql")
    if found is None:
        pytest.skip("no psql client on this machine")
    return found


@pytest.mark.parametrize("role", AWKWARD_ROLES)
def test_the_printed_grants_piped_into_psql_grant_and_do_nothing_else(
    postgres_factory: PostgresFactory, capsys: pytest.CaptureFixture[str], role: str
) -> None:
    owner_url = postgres_factory.new_url()
    quoted = quote_identifier(role)
    admin_url = owner_url.rsplit("/", 1)[0] + "/postgres"
    _execute_as(admin_url, f"CREATE ROLE {quoted} LOGIN;\n")
    try:
        printed = run_cli(capsys, owner_url, "db", "grants", role)
        assert printed.code == 0, printed.err
        libpq_url = make_url(owner_url).set(drivername="postgresql")
        piped = subprocess.run(
            [_psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", libpq_url.render_as_string(False)],
            input=printed.out,
            capture_output=True,
            text=True,
            check=False,
        )
        assert piped.returncode == 0, piped.stderr
        engine = create_engine(owner_url)
        try:
            with engine.connect() as connection:
                tables = set(
                    connection.execute(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    ).scalars()
                )
                may_update = connection.execute(
                    text(
                        "SELECT has_column_privilege(:r, 'batches', 'remaining_ml', 'UPDATE'),"
                        " has_column_privilege(:r, 'batches', 'expires_at', 'UPDATE'),"
                        " has_table_privilege(:r, 'alembic_version', 'SELECT')"
                    ),
                    {"r": role},
                ).one()
        finally:
            engine.dispose()
        assert {"batches", "audit_events", "plant_settings"} <= tables
        assert tuple(may_update) == (True, False, True)
    finally:
        postgres_factory.drop(owner_url)
        _execute_as(admin_url, f"DROP ROLE {quoted};\n")


def test_a_role_name_that_would_break_the_printed_sql_gets_none(
    daily: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = run_cli(capsys, daily.owner_url, "db", "grants", "x\nDROP TABLE batches; --")

    assert outcome.code == 2
    assert outcome.out == ""
    assert "control characters" in outcome.err


def test_an_out_of_date_schema_asks_for_an_administrator_in_one_line(
    outdated: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = run_cli(capsys, outdated.role_url, "batches", "list")

    assert outcome.code == 6
    assert outcome.err == (
        "dairy-desktop: the schema needs upgrading: ask an administrator to run "
        "`dairy-desktop migrate`\n"
    )


def test_an_upgrade_keeps_a_daily_role_granted_before_it_working(
    granted_before_the_lifecycle: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    """The grants printed at 0004 name none of the columns and tables later migrations add;
    `migrate` extends them, so the PCs work the morning after the upgrade."""
    database = granted_before_the_lifecycle

    def ok(url: str, *args: str) -> str:
        outcome = run_cli(capsys, url, *args)
        assert outcome.code == 0, outcome.err
        return outcome.out

    ok(database.owner_url, "migrate")
    role = database.role_url
    ok(role, "batches", "register", "--code", CODE, "--liters", "100", "--shelf-life-days", "5")
    # An empty plant gets the QA gate on at 0005: the lab releases the batch first.
    ok(role, "batches", "qa", CODE, "--test", "beta-lactam", "--result", "pass", "--analyst", "lab")
    ok(role, "batches", "hold", CODE, "--reason", "lab call")
    ok(role, "batches", "release", CODE, "--reason", "lab cleared")
    ok(role, "orders", "reserve", ORDER, "--liters", "40", "--for", _tomorrow())
    ok(role, "batches", "consume", CODE, "--liters", "10", "--order", ORDER)
    ok(role, "orders", "unreserve", ORDER)
    assert ok(role, "audit", "verify").startswith("7 events, chain intact")


def _tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
