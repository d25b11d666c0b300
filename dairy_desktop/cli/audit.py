"""`audit`: the audit trail, all of it or one batch's."""

from __future__ import annotations

import argparse

from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import print_json, print_table
from dairy_desktop.cli.session import open_for
from dairy_desktop.services.serialize import AUDIT_KEYS, event_to_dict


def cmd_audit(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.audit_trail import AuditFilter, list_audit

    events = [event_to_dict(e) for e in list_audit(open_for(args), AuditFilter(args.batch))]
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
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(handler=cmd_audit)
