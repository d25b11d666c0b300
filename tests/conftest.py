"""Shared fixtures: offscreen Qt, an isolated app home, and fresh databases of both kinds."""

from __future__ import annotations

import os
import shutil
import tempfile

# Before anything imports Qt: no screen on CI, and never touch the real user's files.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DAIRY_DESKTOP_HOME"] = tempfile.mkdtemp(prefix="dairy-home-")
os.environ.pop("DAIRY_DESKTOP_DATABASE_URL", None)
# No OS credential store (keyring's own switch, inherited by the CLI processes tests start):
# a test that saves a password must never reach the real keychain. Tests of the store
# install an in-memory one (tests/support/memory_keyring.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from dairy_desktop.db.database import Database
from tests.support.databases import PostgresFactory, SqliteFactory, open_test_database
from tests.support.postgres_server import (
    PostgresUnavailable,
    remove_server,
    scratch_parent,
    start_server,
)

hypothesis_settings.register_profile("default", deadline=None)
hypothesis_settings.load_profile("default")

REQUIRE_POSTGRES = os.environ.get("DAIRY_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """The throwaway server (None when DAIRY_TEST_POSTGRES_URL points elsewhere)."""
    if os.environ.get("DAIRY_TEST_POSTGRES_URL"):
        yield None
        return
    try:
        server = start_server()
    except PostgresUnavailable as error:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL required (DAIRY_REQUIRE_POSTGRES=1) but: {error}")
        pytest.skip(f"PostgreSQL not available: {error}")
    yield server
    remove_server(server)


@pytest.fixture(scope="session")
def postgres_factory(postgres_server: object) -> Iterator[PostgresFactory]:
    admin_url = os.environ.get("DAIRY_TEST_POSTGRES_URL") or postgres_server.url()  # type: ignore[attr-defined]
    factory = PostgresFactory(admin_url)
    yield factory
    factory.dispose()


@pytest.fixture(scope="session")
def sqlite_factory() -> Iterator[SqliteFactory]:
    """In RAM when it can be (like the server's data): a copy and the commits skip the disk."""
    folder = Path(tempfile.mkdtemp(prefix="dairy-sqlite-", dir=scratch_parent()))
    yield SqliteFactory(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated database URL of each kind."""
    factory = request.getfixturevalue(f"{request.param}_factory")
    url = factory.new_url()
    yield url
    factory.drop(url)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = open_test_database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(sqlite_factory: SqliteFactory) -> Iterator[Database]:
    url = sqlite_factory.new_url()
    db = open_test_database(url)
    yield db
    db.dispose()
    sqlite_factory.drop(url)


@pytest.fixture
def home() -> Path:
    return Path(os.environ["DAIRY_DESKTOP_HOME"])
