"""Fresh, migrated databases for each test: copies of a template made once per run."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

from dairy_desktop.db.database import Database, open_database

_counter = itertools.count()


class SqliteFactory:
    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._template = folder / "template.sqlite3"
        open_database(self.url_for(self._template)).dispose()

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
    TEMPLATE = "dairy_template"

    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        # Pre-ping: some tests restart the server under this long-lived engine.
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self.TEMPLATE}"))
            connection.execute(text(f"CREATE DATABASE {self.TEMPLATE}"))
        open_database(self._url(self.TEMPLATE)).dispose()

    def _url(self, name: str) -> str:
        return self._admin_url.rsplit("/", 1)[0] + f"/{name}"

    def new_url(self) -> str:
        name = f"dairy_test_{next(_counter)}"
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE}"))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def dispose(self) -> None:
        self._admin.dispose()


def open_test_database(url: str) -> Database:
    return open_database(url, upgrade=False)
