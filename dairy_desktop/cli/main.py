"""The scriptable face: the same services as the window, JSON out, distinct exit codes
(see exit_codes.py)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

import dairy_desktop
from dairy_desktop.cli.exit_codes import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNEXPECTED
from dairy_desktop.cli.output import print_error
from dairy_desktop.cli.parser import build_parser
from dairy_desktop.domain.errors import DairyError

log = logging.getLogger(__name__)


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
            # Read on demand: the package resolves its version from metadata (~30 ms).
            print(dairy_desktop.__version__)
            return EXIT_OK
        if args.command is None:
            return open_window(args)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except DairyError as error:
        print_error(str(error))
        return error.exit_code
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours; silence the flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print_error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as error:
        log.exception("unexpected error")
        print_error(f"unexpected error: {type(error).__name__}: {error}")
        return EXIT_UNEXPECTED
