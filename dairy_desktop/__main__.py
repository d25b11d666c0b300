"""Entry points: `dairy-desktop` (console) and `dairy-desktop-gui` (windowed, no console)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from dairy_desktop.cli.exit_codes import EXIT_FAILED
from dairy_desktop.cli.main import run
from dairy_desktop.cli.output import print_error
from dairy_desktop.config.logging_setup import configure_logging


def _open_window(args: argparse.Namespace) -> int:
    # Qt GUI (~0.2 s): only when no command was given; a build without the window says so.
    try:
        from dairy_desktop.ui.app import run_app
        from dairy_desktop.ui.startup_probe import start_application
    except ImportError as error:
        if "cannot open shared object file" not in str(error):
            print("The window is not available in this build; run 'dairy-desktop --help'.")
            return 0
        # Qt is there, but its own libraries need some of the system's (libEGL, …).
        _explain_missing_libraries()
        print_error(f"the window cannot open: {error}")
        return EXIT_FAILED
    # Created here, under watch, for run_app to use: Qt ends the process when its platform
    # plugin cannot be loaded, so that is the moment to say which libraries are missing.
    start_application(sys.argv[:1], _explain_missing_libraries)
    _leave_now(run_app(args))
    return EXIT_FAILED  # not reached


def _leave_now(code: int) -> None:
    """End the process as soon as the window has closed cleanly.

    By then the window has waited for every change it sent, closed its database session
    and written its settings; the log is flushed here. What is left is the interpreter
    freeing memory object by object, about 2 s with SQLAlchemy and Qt loaded, during which
    the app looks hung to someone who pressed Ctrl+Q and is starting it again.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(code)


def _explain_missing_libraries() -> None:
    """Say which system libraries the window lacks, then end the process; return if none
    (or it cannot be told), leaving the failure to be reported as it would have been."""
    from dairy_desktop.cli.platform_libraries import explain_missing_platform_libraries

    explanation = explain_missing_platform_libraries()
    if explanation is None:
        return
    logging.getLogger(__name__).critical("%s", explanation)
    print_error(explanation)
    logging.shutdown()
    # Qt aborts the process once the failed start is reported; ending it first spares a
    # core dump and gives the exit code of a job that failed.
    os._exit(EXIT_FAILED)


def main(argv: Sequence[str] | None = None) -> int:
    # In the packaged app a spawned worker (simulate's workstations) re-runs this entry
    # point; freeze_support() turns it into the worker instead of a second app. It does
    # nothing unless frozen, so the import (~15 ms before the window) is skipped otherwise.
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    configure_logging()
    return run(sys.argv[1:] if argv is None else argv, _open_window)


def main_gui() -> int:
    return main()


if __name__ == "__main__":
    sys.exit(main())
