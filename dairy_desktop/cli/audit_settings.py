"""`audit settings`: the history of plant-settings changes (who, when, old → new)."""

from __future__ import annotations

import argparse

from dairy_desktop.cli.audit_verify import audit_subcommands
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json, print_table
from dairy_desktop.cli.session import open_for

KEYS = ("id", "at", "key", "old_value", "new_value", "operator", "db_user")


def cmd_audit_settings(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.settings_history import settings_history

    changes = settings_history(open_for(args))
    rows = [
        {
            "id": change.id,
            "at": change.at.isoformat(),
            "key": change.key,
            "old_value": change.old_value,
            "new_value": change.new_value,
            "operator": change.operator,
            "db_user": change.db_user,
        }
        for change in changes
    ]
    if getattr(args, "json", False):
        print_json(rows)
    elif not rows:
        print("No plant-settings changes.")
    else:
        print_table([["" if r[k] is None else str(r[k]) for k in KEYS] for r in rows], list(KEYS))
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    settings = audit_subcommands(commands).add_parser(
        "settings", help="plant-settings changes: who, when, old → new"
    )
    # SUPPRESS: `audit --json settings` keeps the --json given before the sub-command.
    settings.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=JSON_HELP)
    settings.set_defaults(handler=cmd_audit_settings)
