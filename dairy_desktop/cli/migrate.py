"""`migrate`: bring the database schema up to this version's."""

from __future__ import annotations

import argparse

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.config.local_settings import resolve_database_url


def cmd_migrate(args: argparse.Namespace) -> int:
    # SQLAlchemy and Alembic: only when this command runs.
    from dairy_desktop.db.database import migrate, open_database

    database = open_database(resolve_database_url(args.database_url), upgrade=False)
    before, after = migrate(database)
    state = "already up to date" if before == after else f"upgraded from {before or 'empty'}"
    print(f"{database.location}: schema {after} ({state})")
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    migrate.set_defaults(handler=cmd_migrate)
