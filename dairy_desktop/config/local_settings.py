"""Per-PC settings (which database, who is operating), kept in a small JSON file.

Plant-wide settings live in the database; only what differs between PCs lives here.
A database password never goes into settings.json: saving moves it to `secret_store`, and
`resolve_database_url` merges it back in for the URL's server and user.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from dairy_desktop.config import paths, secret_store
from dairy_desktop.domain.errors import InvalidInput

DATABASE_URL_ENV = "DAIRY_DESKTOP_DATABASE_URL"
OPERATOR_ENV = "DAIRY_DESKTOP_OPERATOR"


@dataclass
class LocalConfig:
    database_url: str | None = None
    operator: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def config_path() -> Path:
    return paths.config_dir() / "settings.json"


def load_local_config() -> LocalConfig:
    path = config_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return LocalConfig()
    except (OSError, ValueError):
        # A damaged settings file must not keep the app from starting; defaults apply.
        return LocalConfig()
    known = {k: raw.pop(k) for k in ("database_url", "operator") if k in raw}
    return LocalConfig(**known, extra=raw.get("extra", {}))


def save_local_config(config: LocalConfig) -> None:
    """Write settings.json; a password in the database URL goes to the secret store instead."""
    if config.database_url:
        config = replace(config, database_url=remember_password(config.database_url))
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(config), indent=2), encoding="utf-8")
    os.replace(temporary, path)  # atomic: a crash never leaves half a settings file


def resolve_database_url(explicit: str | None = None) -> str:
    """The URL to connect to (choose_database_url), with its server's stored password."""
    return with_stored_password(choose_database_url(explicit))


def choose_database_url(explicit: str | None = None) -> str:
    """--database-url, else the environment, else the settings file, else the SQLite file.

    Without the stored password: looking it up imports SQLAlchemy's URL parser and maybe the
    OS credential store (~0.6 s), which the window does on its worker, not before it paints.

    An explicit but empty URL is refused rather than read as "the default": a script that
    meant a server would otherwise write to a file on this PC. Only the default file's
    folder is created here; any other SQLite file's folder must exist (db/engine.py).
    """
    if explicit is not None and not explicit.strip():
        raise InvalidInput(
            "The database URL is empty: give one such as postgresql://user@server/dairy or "
            "sqlite:///path/to/dairy.sqlite3, or leave out --database-url for the default.",
            field="database_url",
        )
    for candidate in (explicit, os.environ.get(DATABASE_URL_ENV), load_local_config().database_url):
        if candidate and candidate.strip():
            return candidate.strip()
    default = paths.default_sqlite_path()
    # A read-only profile: the engine then says the folder is missing.
    with contextlib.suppress(OSError):
        default.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{default.as_posix()}"


def resolve_operator(explicit: str | None = None) -> str | None:
    for candidate in (explicit, os.environ.get(OPERATOR_ENV), load_local_config().operator):
        if candidate and candidate.strip():
            return candidate.strip()
    return None


# Passwords: the key is the server and user, so every database on that server shares it.


def _password_key(url: str) -> str | None:
    from sqlalchemy.engine import make_url  # lazily: keeps the window's start-up import light

    try:
        parsed = make_url(url)
    except Exception:  # not a URL we can parse: nothing to look up
        return None
    if not parsed.host or not parsed.username:
        return None
    port = parsed.port or DEFAULT_POSTGRES_PORT
    return f"{parsed.get_backend_name()}://{parsed.username}@{parsed.host}:{port}"


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (None when the URL has none)."""
    from sqlalchemy.engine import URL, make_url  # lazily: keeps the window's start-up import light

    try:
        parsed = make_url(url)
    except Exception:
        return url, None
    if parsed.password is None:
        return url, None
    # Not parsed.set(password=None): `set` ignores None, which would keep the password.
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False), str(parsed.password)


def remember_password(url: str) -> str:
    """Move the URL's password (if any) to the secret store; return the URL without it."""
    bare, password = split_password(url)
    key = _password_key(bare)
    if password and key:
        secret_store.store_secret(key, password)
    return bare


def forget_password(url: str) -> None:
    key = _password_key(url)
    if key:
        secret_store.forget_secret(key)


def with_stored_password(url: str) -> str:
    """The URL with the stored password for its server and user, when it carries none."""
    bare, password = split_password(url)
    key = _password_key(bare)
    stored = secret_store.load_secret(key) if password is None and key else None
    if stored is None:
        return url
    from sqlalchemy.engine import make_url  # lazily: keeps the window's start-up import light

    return make_url(bare).set(password=stored).render_as_string(hide_password=False)


# The settings dialog's form, as plain values: which database, and the URL it makes.

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DEFAULT_POSTGRES_PORT = 5432


@dataclass(frozen=True)
class ConnectionSettings:
    kind: str = SQLITE
    sqlite_path: str = ""
    host: str = ""
    port: str = str(DEFAULT_POSTGRES_PORT)
    database: str = ""
    user: str = ""
    password: str = ""
    # Extra URL options (e.g. sslmode=require) typed into settings.json by hand: kept as found.
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, url: str) -> ConnectionSettings:
        from sqlalchemy.engine import make_url  # lazily: keeps the window's start-up import light

        default = cls(sqlite_path=str(paths.default_sqlite_path()))
        try:
            parsed = make_url(url)
        except Exception:
            return default
        if parsed.get_backend_name() == POSTGRESQL:
            return cls(
                kind=POSTGRESQL,
                sqlite_path=default.sqlite_path,
                host=parsed.host or "",
                port=str(parsed.port or DEFAULT_POSTGRES_PORT),
                database=parsed.database or "",
                user=parsed.username or "",
                password=str(parsed.password or ""),
                options=tuple(
                    (k, v if isinstance(v, str) else v[-1]) for k, v in parsed.query.items()
                ),
            )
        if parsed.get_backend_name() == SQLITE and parsed.database:
            return replace(default, sqlite_path=str(Path(parsed.database)))
        return default

    def url(self) -> str:
        """The full URL, password included: hand it to the database, never to a log."""
        from sqlalchemy.engine import URL  # lazily: keeps the window's start-up import light

        if self.kind == SQLITE:
            # Absolute, so the app finds the same file whatever folder it was started from.
            path = Path(self.sqlite_path.strip()).expanduser().absolute()
            return f"sqlite:///{path.as_posix()}"
        return URL.create(
            "postgresql",
            username=self.user.strip(),
            password=self.password or None,
            host=self.host.strip(),
            port=int(self.port.strip()),
            database=self.database.strip(),
            query=dict(self.options),
        ).render_as_string(hide_password=False)

    def problems(self) -> dict[str, str]:
        """Each invalid field's name with the reason, for the form to show beside it."""
        return _sqlite_problems(self) if self.kind == SQLITE else _server_problems(self)


def _sqlite_problems(form: ConnectionSettings) -> dict[str, str]:
    text = form.sqlite_path.strip()
    if not text:
        return {"sqlite_path": "The database file is missing: choose a file, or keep the default."}
    path = Path(text).expanduser()
    if path.is_dir():
        return {
            "sqlite_path": f"{path} is a folder; choose a file in it, e.g. "
            f"{path / paths.default_sqlite_path().name}."
        }
    return {}


def _server_problems(form: ConnectionSettings) -> dict[str, str]:
    problems: dict[str, str] = {}
    host = form.host.strip()
    if not host:
        problems["host"] = "Server is missing: enter its name or IP address, e.g. dairy-server."
    elif any(c.isspace() or c in "/@?#" for c in host):
        problems["host"] = f"Server {host!r} contains a space or one of / @ ? #; check the name."
    port = form.port.strip()
    if not (port.isascii() and port.isdigit()):
        problems["port"] = f"Port {port!r} is not a whole number; PostgreSQL's usual port is 5432."
    elif not 1 <= int(port) <= 65535:
        problems["port"] = f"Port must be 1–65535 (got {int(port)}); the usual one is 5432."
    if not form.database.strip():
        problems["database"] = "Database name is missing, e.g. dairy."
    if not form.user.strip():
        problems["user"] = "User name is missing: the PostgreSQL login the plant set up for you."
    return problems
