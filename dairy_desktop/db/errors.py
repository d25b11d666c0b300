"""Translate driver errors into the product's refusals.

An SQLite failure names its culprit (the file, its folder, the disk), since there is no
server to check; a PostgreSQL one points at the server and the network.
"""

from __future__ import annotations

from sqlalchemy import exc

from dairy_desktop.domain.errors import DatabaseUnavailable

# What SQLite says (lower case), and what to tell the operator instead.
_SQLITE_CULPRITS = (
    (
        "readonly database",
        "the database file is read-only for this user (or its folder is: SQLite also writes "
        "-wal and -shm files beside it); ask for write access to both",
    ),
    (
        "disk is full",
        "the disk holding the database file is full; free some space on it",
    ),
    (
        "disk i/o error",
        "the disk (or network share) holding the database file reported an I/O error; "
        "check that it is still attached",
    ),
    (
        "unable to open database file",
        "the database file cannot be opened: check that its folder exists and this user "
        "may write to it",
    ),
    (
        "file is not a database",
        "the file is not a database (or it is damaged): check the database URL names the "
        "right file",
    ),
    (
        "malformed",
        "the database file is damaged: restore it from a backup",
    ),
    (
        "database is locked",
        "another program has held the database file locked for too long; close it and try again",
    ),
)

# Errors that say the database cannot be used at all, rather than that a statement was wrong.
_SQLITE_FILE_ERRORS = ("file is not a database", "malformed")


def _first_line(error: BaseException) -> str:
    detail = str(getattr(error, "orig", error)).strip().splitlines()
    return detail[0] if detail else type(error).__name__


def is_unavailable(error: BaseException) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        return True
    # SQLite reports a file that is not a database as a plain DatabaseError.
    return (
        isinstance(error, exc.DatabaseError)
        and not isinstance(error, exc.IntegrityError | exc.DataError | exc.ProgrammingError)
        and any(words in _first_line(error).lower() for words in _SQLITE_FILE_ERRORS)
    )


def unavailable_from(error: BaseException, where: str) -> DatabaseUnavailable:
    first = _first_line(error)
    if where == "sqlite":
        lowered = first.lower()
        for words, advice in _SQLITE_CULPRITS:
            if words in lowered:
                return DatabaseUnavailable(f"SQLite database unavailable: {advice} ({first}).")
        return DatabaseUnavailable(
            f"SQLite database unavailable ({first}): check the database file, its folder and "
            "the disk, then try again."
        )
    return DatabaseUnavailable(
        f"Database unavailable ({where}): {first}. Check that the database server is running "
        "and reachable, then try again."
    )
