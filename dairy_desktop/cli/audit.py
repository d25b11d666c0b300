"""`audit`: the audit trail, all of it, one batch's, or one change's (by request id);
`audit reverse` (audit_reverse.py) corrects a consume or a dispose."""

from __future__ import annotations

import argparse

from dairy_desktop.cli import audit_reverse
from dairy_desktop.cli.exit_codes import EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_json, print_table
from dairy_desktop.cli.session import open_for
from dairy_desktop.domain.codes import validate_code_shape
from dairy_desktop.domain.request_id import validate_request_id
from dairy_desktop.services.serialize import AUDIT_KEYS, event_to_dict


def cmd_audit(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.audit_trail import AuditFilter, event_for_request, list_audit
    from dairy_desktop.services.queries import get_batch as require_batch

    # A code no batch could have (empty, too long) is refused before the look-up.
    batch = None if args.batch is None else validate_code_shape(args.batch)
    database = open_for(args)
    if args.request_id is not None:
        # The one change sent with that id (none: it was not recorded), narrowed by --batch.
        found = event_for_request(database, args.request_id)
        chosen = [found] if found is not None else []
        if batch is not None:
            chosen = [e for e in chosen if e.batch_code == batch]
    else:
        chosen = list_audit(database, AuditFilter(batch))
    if not chosen and batch is not None:
        # Every batch has at least its registration event: none means the code may be
        # mistyped, which an empty list (exit 0) would hide from a script.
        require_batch(database, batch)
    events = [event_to_dict(e) for e in chosen]
    if args.json:
        print_json(events)
    elif not events:
        print("No audit events.")
    else:
        keys = _shown_keys(events)
        print_table([[str(e[k]) if e[k] is not None else "" for k in keys] for e in events], keys)
    return EXIT_OK


def _shown_keys(events: list[dict[str, object]]) -> list[str]:
    """Every column of the contract, but a lifecycle column (QA, reversal, reason code) only
    when some event shown has a value in it: the table stays readable on a terminal."""
    always = AUDIT_KEYS[: AUDIT_KEYS.index("request_id") + 1]
    return [k for k in AUDIT_KEYS if k in always or any(e[k] is not None for e in events)]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help="the audit trail")
    audit.add_argument(
        "--batch",
        metavar="CODE",
        help="only this batch's events (exit 4 if there is no such batch)",
    )
    audit.add_argument(
        "--request-id",
        metavar="ID",
        type=validate_request_id,
        help="only the change sent with this request id (e.g. after exit 7, outcome unknown)",
    )
    audit.add_argument("--json", action="store_true", help=JSON_HELP)
    audit.set_defaults(handler=cmd_audit)
    # Corrections are new events: `audit reverse EVENT_ID`.
    audit_reverse.register(commands)
