"""`audit verify`: recompute the audit trail's hash chains and replay every batch's history.

A sub-command of `audit`, added to the parser `audit.py` built: `audit`, `audit --batch` and
`audit --json` keep working exactly as before, since a bare `audit` has no sub-command.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from dairy_desktop.cli.exit_codes import EXIT_AUDIT_MISMATCH, EXIT_OK
from dairy_desktop.cli.output import JSON_HELP, print_error, print_json
from dairy_desktop.cli.session import open_for


def cmd_audit_verify(args: argparse.Namespace) -> int:
    # SQLAlchemy (services reach the database): only when a command runs.
    from dairy_desktop.services.audit_verify import verify_audit

    verification = verify_audit(open_for(args))
    if getattr(args, "json", False):
        print_json(asdict(verification))
    elif verification.ok:
        print(verification.message)
    else:
        print(verification.message)
        for problem in verification.problems:
            print(f"  {problem}")
    if verification.ok:
        return EXIT_OK
    print_error(verification.message)
    return EXIT_AUDIT_MISMATCH


def audit_subcommands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The sub-commands of the already registered `audit` (created on first use)."""
    audit = commands.choices["audit"]
    for action in audit._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return audit.add_subparsers(
        dest="audit_command",
        metavar="{reverse,verify,settings}",
        parser_class=type(audit),
        help="without one: the audit trail itself",
    )


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = audit_subcommands(commands).add_parser(
        "verify",
        help="check the audit trail's hash chains and that every batch agrees with its history",
    )
    # SUPPRESS: `audit --json verify` keeps the --json given before the sub-command.
    verify.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=JSON_HELP)
    verify.set_defaults(handler=cmd_audit_verify)
