"""The scriptable face: the same services as the window, JSON out, distinct exit codes.

Exit codes: 0 done; 2 invalid input; 3 version conflict; 4 not found; 5 refused by a rule;
6 database unavailable or schema too new; 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from dairy_desktop.domain.errors import DairyError, InvalidInput

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_INVALID = 2

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line and exit code 2 like other bad input."""

    def error(self, message: str) -> Any:
        raise InvalidInput(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    from dairy_desktop.cli.batches import register_commands

    parser = _Parser(
        prog="dairy-desktop",
        description="Milk batches, expiry and consumption. Without a command, opens the window.",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="database to use (default: "
        "$DAIRY_DESKTOP_DATABASE_URL, the settings file, else a local SQLite file)",
    )
    parser.add_argument("--operator", metavar="NAME", help="who is acting (default: OS login)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    register_commands(commands)
    return parser


def _emit_error(message: str) -> None:
    print(f"dairy-desktop: {message}", file=sys.stderr)


def run(argv: Sequence[str] | None, open_window: Callable[[argparse.Namespace], int]) -> int:
    """Parse and run one command; return the exit code."""
    for stream in (sys.stdout, sys.stderr):
        # Never crash on printing a value the console cannot show (e.g. undecodable bytes).
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(argv)
        if args.version:
            from dairy_desktop import __version__

            print(__version__)
            return EXIT_OK
        if args.command is None:
            return open_window(args)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except DairyError as error:
        _emit_error(str(error))
        return error.exit_code
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours; silence the flush.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _emit_error("interrupted")
        return 130
    except Exception as error:
        log.exception("unexpected error")
        _emit_error(f"unexpected error: {type(error).__name__}: {error}")
        return EXIT_UNEXPECTED


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
