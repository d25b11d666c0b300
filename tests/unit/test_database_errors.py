"""SQLite failures name their culprit (the file, its folder, the disk), never a server."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import exc

from dairy_desktop.db.errors import is_unavailable, unavailable_from


def _driver_error(kind: type[exc.DBAPIError], message: str) -> exc.DBAPIError:
    return kind("INSERT ...", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize(
    ("message", "culprit"),
    [
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "disk holding the database file is full"),
        ("disk I/O error", "I/O error"),
        ("unable to open database file", "folder exists"),
        ("database is locked", "locked"),
    ],
)
def test_sqlite_errors_name_the_culprit(message: str, culprit: str) -> None:
    error = _driver_error(exc.OperationalError, message)
    assert is_unavailable(error)
    text = str(unavailable_from(error, "sqlite"))
    assert culprit in text
    assert "server" not in text
    assert "\n" not in text


def test_a_file_that_is_not_a_database_is_unavailable_in_one_line() -> None:
    error = _driver_error(exc.DatabaseError, "file is not a database")
    assert is_unavailable(error)
    assert "not a database" in str(unavailable_from(error, "sqlite"))


def test_a_constraint_is_not_unavailability() -> None:
    assert not is_unavailable(_driver_error(exc.IntegrityError, "UNIQUE constraint failed"))


def test_postgresql_errors_still_point_at_the_server() -> None:
    error = _driver_error(exc.OperationalError, "could not connect to server")
    assert "database server is running" in str(unavailable_from(error, "postgresql"))
