"""`audit reverse EVENT_ID --reason TEXT`: correct a consume or a dispose with a new event.

A sub-command of `audit` (see audit_verify.audit_subcommands), sent exactly once like every
change: --request-id names it, --expect-version guards the batch's version.
"""

from __future__ import annotations

import argparse

from dairy_desktop.cli.audit_verify import audit_subcommands
from dairy_desktop.cli.change_send import (
    add_expect_version,
    add_request_id,
    change_json,
    send_exactly_once,
)
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json
from dairy_desktop.cli.session import actor_for, open_for
from dairy_desktop.domain.liters import format_liters
from dairy_desktop.services.serialize import event_to_dict


def _event_id_arg(value: str) -> int:
    # Services are imported when a command runs; this one needs no database.
    from dairy_desktop.services.reverse import validate_event_id

    return validate_event_id(value)


def cmd_audit_reverse(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.reverse import reverse_once

    database = open_for(args)
    actor = actor_for(args)
    outcome = send_exactly_once(
        database,
        actor,
        lambda: reverse_once(
            database,
            args.event_id,
            reason=args.reason,
            expected_version=args.expect_version,
            actor=actor,
        ),
    )
    batch, event = outcome.changed.batch, outcome.changed.event
    if getattr(args, "json", False):
        item = change_json(database, outcome)
        item["event"] = event_to_dict(event)
        print_json(item)
        return EXIT_OK
    back = "" if event.liters is None else f"{format_liters(event.liters)} L back in "
    print(
        f"event {event.reverses_id} reversed by event {event.id}: {back}{batch.code}, "
        f"{format_liters(batch.remaining_liters)} L left (version {batch.version})"
    )
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reverse = audit_subcommands(commands).add_parser(
        "reverse", help="reverse a consume or a dispose: its litres go back, with a new event"
    )
    reverse.add_argument(
        "event_id",
        type=_event_id_arg,
        metavar="EVENT_ID",
        help="the consume or dispose event's id (the id column of `audit`)",
    )
    reverse.add_argument(
        "--reason", required=True, metavar="TEXT", help="why (kept in the audit trail)"
    )
    add_expect_version(reverse)
    # SUPPRESS: `audit --json reverse` keeps the --json given before the sub-command.
    reverse.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=JSON_HELP)
    # SUPPRESS too: `audit --request-id ID reverse ...` names this change, not a look-up.
    add_request_id(reverse, default=argparse.SUPPRESS)
    reverse.set_defaults(handler=cmd_audit_reverse)
