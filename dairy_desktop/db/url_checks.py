"""Database URLs refused before any connection: each would put the record somewhere
nobody meant (memory, a folder made up on the spot) or fail later with a driver's riddle."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

_SUPPORTED = (
    "use sqlite:///path/to/dairy.sqlite3 (a file on this PC) or "
    "postgresql://user@server/dairy (a server)"
)
# The drivers the app ships; a bare postgresql:// means psycopg2 (db/engine.py).
_DRIVERS = {
    "sqlite": {"sqlite", "sqlite+pysqlite"},
    "postgresql": {"postgresql", "postgresql+psycopg2"},
}


def parse_database_url(url: str) -> URL:
    """The parsed URL of a database the app can use, or InvalidInput saying why not."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InvalidInput(
            f"Database URL {quoted(url)} is not a URL: {_SUPPORTED}.", field="database_url"
        ) from None
    backend = parsed.get_backend_name()
    if parsed.drivername not in _DRIVERS.get(backend, set()):
        hint = " (write postgresql://, not postgres://)" if backend == "postgres" else ""
        raise InvalidInput(
            f"Database URL {quoted(parsed.render_as_string(hide_password=True))} is not a "
            f"supported database{hint}: {_SUPPORTED}.",
            field="database_url",
        )
    if backend == "sqlite":
        check_sqlite_file(parsed)
    return parsed


def sqlite_file(parsed: URL) -> Path | None:
    """The file an SQLite URL names; None for an in-memory database."""
    name = parsed.database or ""
    uri = str(parsed.query.get("uri", "")).lower() in {"true", "1"}
    if uri and name.startswith("file:"):
        if "mode=memory" in name:
            return None
        name = name.removeprefix("file:").split("?", 1)[0]
    if not name or name == ":memory:":
        return None
    return Path(name).expanduser()


def check_sqlite_file(parsed: URL) -> None:
    path = sqlite_file(parsed)
    if path is None:
        raise InvalidInput(
            "An in-memory SQLite database keeps nothing once the command ends: give a file, "
            "e.g. sqlite:///C:/DairyDesktop/dairy.sqlite3.",
            field="database_url",
        )
    shown = quoted(str(path), 80)
    if path.is_dir():
        raise InvalidInput(
            f"{shown} is a folder, not a database file: name a file in it, e.g. "
            f"{quoted(str(path / 'dairy.sqlite3'), 80)}.",
            field="database_url",
        )
    folder = path.parent
    try:
        exists = folder.is_dir()
    except OSError:  # e.g. a name too long for the file system
        exists = False
    if not exists:
        raise InvalidInput(
            f"The folder {quoted(str(folder), 80)} does not exist: create it, or choose "
            "another place for the database file.",
            field="database_url",
        )
