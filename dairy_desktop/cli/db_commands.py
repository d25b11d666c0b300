"""`db grants ROLE`: the SQL that lets a least-privilege role use the app every day."""

from __future__ import annotations

import argparse

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.config.local_settings import resolve_database_url


def cmd_db_grants(args: argparse.Namespace) -> int:
    # SQLAlchemy (URL parsing): only when this command runs.
    from dairy_desktop.db.grants import grants_for_url

    print(grants_for_url(args.role, resolve_database_url(args.database_url)), end="")
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="database administration (PostgreSQL)")
    actions = db.add_subparsers(
        dest="db_command",
        metavar="{grants}",
        required=True,
        parser_class=type(db),
        help="what to do",
    )
    grants = actions.add_parser(
        "grants", help="print the SQL granting ROLE what daily use needs (nothing more)"
    )
    grants.add_argument("role", metavar="ROLE", help="the PostgreSQL role the office PCs log in as")
    grants.set_defaults(handler=cmd_db_grants)
