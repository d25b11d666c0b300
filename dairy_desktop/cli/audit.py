"""`audit`: the audit trail, all of it, one batch's, or one change's (by request id)."""

from __future__ import annotations

import argparse

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import print_json, print_table
from dairy_desktop.cli.session import open_for
from dairy_desktop.domain.request_id import validate_request_id
from dairy_desktop.services.serialize import AUDIT_KEYS, event_to_dict


def cmd_audit(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.audit_trail import AuditFilter, event_for_request, list_audit

    database = open_for(args)
    if args.request_id is not None:
        # The one change sent with that id (none: it was not recorded), narrowed by --batch.
        found = event_for_request(database, args.request_id)
        chosen = [found] if found is not None else []
        if args.batch is not None:
            chosen = [e for e in chosen if e.batch_code == args.batch.strip()]
    else:
        chosen = list_audit(database, AuditFilter(args.batch))
    events = [event_to_dict(e) for e in chosen]
    if args.json:
        print_json(events)
    elif not events:
        print("No audit events.")
    else:
        keys = list(AUDIT_KEYS)
        print_table([[str(e[k]) if e[k] is not None else "" for k in keys] for e in events], keys)
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help="the audit trail")
    audit.add_argument("--batch", metavar="CODE")
    audit.add_argument(
        "--request-id",
        metavar="ID",
        type=validate_request_id,
        help="only the change sent with this request id (e.g. after exit 7, outcome unknown)",
    )
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(handler=cmd_audit)
