"""Which database the window is on, in words an operator reads at a glance.

`postgresql+psycopg2://dairy:***@db-server:5432/dairy` means nothing on a status bar;
"PostgreSQL dairy on db-server" does. User names and passwords are never shown.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_POSTGRES_PORT = 5432
MAX_PATH_CHARS = 40


def describe_database(kind: str, location: str, *, max_path: int = MAX_PATH_CHARS) -> str:
    """`kind` is "postgresql" or "sqlite"; `location` the server URL or the SQLite file."""
    if kind == "sqlite":
        return f"SQLite file {shorten_path(location, max_path)}"
    return f"PostgreSQL {postgres_place(location)}"


def postgres_place(url: str) -> str:
    """'dairy on db-server' (with ':port' only when it is not the usual 5432)."""
    parts = urlsplit(url)
    database = unquote(parts.path.lstrip("/")) or "(default database)"
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host") or [""])[0] or "this PC"
    try:
        port = parts.port
    except ValueError:  # an unreadable port: say nothing rather than something wrong
        port = None
    where = f"{host}:{port}" if port not in (None, DEFAULT_POSTGRES_PORT) else host
    return f"{database} on {where}"


def shorten_path(path: str, max_chars: int = MAX_PATH_CHARS) -> str:
    """The home folder as '~', then the middle left out if still too long: the file's name
    and the start of its folder are what tell one database from another."""
    text = path
    home = str(Path.home()).rstrip("/\\")
    if home and text.startswith(home) and text[len(home) :][:1] in ("", "/", "\\"):
        text = "~" + text[len(home) :]
    if len(text) <= max_chars:
        return text
    separator = "\\" if "\\" in text and "/" not in text else "/"
    name = text.rsplit(separator, 1)[-1]
    if len(name) + 6 > max_chars:
        return "…" + text[-(max_chars - 1) :]
    keep = max_chars - len(name) - 2  # the folder's start, then "…" and the separator
    return f"{text[:keep]}…{separator}{name}"
