"""PostgreSQL least privilege: a role given exactly `db grants ROLE` works every day and can
neither change the schema nor rewrite the record; a change without its audit event is
refused at COMMIT; an out-of-date schema gets one line asking for an administrator."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.alembic_upgrade import alembic_config
from dairy_desktop.db.grants import grants_sql
from tests.e2e.cli_runner import run_cli
from tests.support.databases import PostgresFactory

pytestmark = pytest.mark.postgres

CODE = "SCH-20251204-0001"
_roles = itertools.count()


@dataclass
class RoleDatabase:
    owner_url: str
    role_url: str


def _execute_as(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in sql.split(";\n"):
                if statement.strip() and not statement.lstrip().startswith("--"):
                    connection.execute(text(statement))
    finally:
        engine.dispose()


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
    if revision is not None:  # tables added after `revision` cannot be granted yet
        grants = "\n".join(
            line for line in grants.splitlines() if "plant_setting_changes" not in line
        )
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


def test_an_out_of_date_schema_asks_for_an_administrator_in_one_line(
    outdated: RoleDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = run_cli(capsys, outdated.role_url, "batches", "list")

    assert outcome.code == 6
    assert outcome.err == (
        "dairy-desktop: the schema needs upgrading: ask an administrator to run "
        "`dairy-desktop migrate`\n"
    )
