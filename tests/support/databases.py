"""Fresh, migrated databases for each test: copies of a template made once per run."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

from dairy_desktop.db.database import Database, open_database

_counter = itertools.count()

# A new database starts with the QA release gate on (migration 0005). The test templates
# turn it off, as on a plant that upgraded with batches in stock, so a test's registered
# batch is usable at once; tests of the gate turn it on (tests/support/qa_gate.py).
_GATE_OFF = "UPDATE plant_settings SET value = 'false' WHERE key = 'qa_release_required'"


def _gate_off(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(_GATE_OFF))
    finally:
        engine.dispose()


# Parallel runs (pytest-xdist) name their databases per worker: each worker usually has its own
# server, but with DAIRY_TEST_POSTGRES_URL they all share one.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


class SqliteFactory:
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._template = folder / "template.sqlite3"
        open_database(self.url_for(self._template)).dispose()
        _gate_off(self.url_for(self._template))

    @staticmethod
    def url_for(path: Path) -> str:
        return f"sqlite:///{path.as_posix()}"

    def new_url(self) -> str:
        path = self._folder / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self._template, path)
        return self.url_for(path)

    def drop(self, url: str) -> None:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresFactory:
    TEMPLATE = f"dairy_template_{_WORKER}"

    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        # Pre-ping: some tests restart the server under this long-lived engine.
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self.TEMPLATE}"))
            connection.execute(text(f"CREATE DATABASE {self.TEMPLATE}"))
            version = connection.execute(text("SHOW server_version_num")).scalar_one()
        # PostgreSQL 15+ copies through the WAL by default; copying the files is about twice
        # as fast for a template this small (8 MB), and writes no WAL.
        self._strategy = " STRATEGY FILE_COPY" if int(version) >= 150000 else ""
        open_database(self._url(self.TEMPLATE)).dispose()
        _gate_off(self._url(self.TEMPLATE))

    def _url(self, name: str) -> str:
        return self._admin_url.rsplit("/", 1)[0] + f"/{name}"

    def new_url(self) -> str:
        name = f"dairy_test_{_WORKER}_{next(_counter)}"
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(
                text(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE}{self._strategy}")
            )
        return self._url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def dispose(self) -> None:
        self._admin.dispose()


def open_test_database(url: str) -> Database:
    return open_database(url, upgrade=False)
