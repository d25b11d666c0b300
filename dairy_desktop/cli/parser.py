"""The argparse tree: global options, then each command group's own `register`."""

from __future__ import annotations

import argparse
import re
from typing import Any

from dairy_desktop.cli import (
    audit,
    audit_settings,
    audit_verify,
    batches,
    db_commands,
    migrate,
    orders,
    plan,
    printing,
    report,
    self_check,
    simulate,
    trace,
)
from dairy_desktop.cli.help_text import finish_help
from dairy_desktop.cli.output import PROGRAM
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import MAX_ECHO

# Options of the program itself, given before the command.
GLOBAL_OPTIONS = ("--database-url", "--operator", "--version")
_LONG_WORD = re.compile(rf"\S{{{MAX_ECHO + 1},}}")

# In this order in `--help`; audit_verify and audit_settings add sub-commands to `audit`.
COMMAND_GROUPS = (
    migrate,
    batches,
    orders,
    trace,
    plan,
    report,
    audit,
    audit_verify,
    audit_settings,
    self_check,
    printing,
    simulate,
    db_commands,
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line and exit code 2 like other bad input."""

    def error(self, message: str) -> Any:
        # argparse quotes what was typed (an unknown argument, an invalid choice) in full.
        message = _LONG_WORD.sub(lambda m: m.group(0)[:MAX_ECHO] + "…", message)
        raise InvalidInput(f"{message}{_misplaced_hint(message)} (see '{self.prog} --help')")


def _misplaced_hint(message: str) -> str:
    """`batches list --operator ann`: the option exists, but before the command."""
    if not message.startswith("unrecognized arguments:"):
        return ""
    typed = {word.split("=", 1)[0] for word in message.split()}
    misplaced = [option for option in GLOBAL_OPTIONS if option in typed]
    if not misplaced:
        return ""
    return f"; {', '.join(misplaced)} go{'es' if len(misplaced) == 1 else ''} before the command"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROGRAM,
        description="Milk batches, expiry and consumption. Without a command, opens the "
        "window. The options below go before the command, e.g. "
        f"`{PROGRAM} --operator ann batches list`.",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="database to use (default: "
        "$DAIRY_DESKTOP_DATABASE_URL, the settings file, else a local SQLite file)",
    )
    parser.add_argument(
        "--operator",
        metavar="NAME",
        help="who is acting, as the audit trail records it (default: the OS login name)",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=_Parser,
        help="one of these (none: open the window)",
    )
    for group in COMMAND_GROUPS:
        group.register(commands)
    finish_help(parser)
    return parser
