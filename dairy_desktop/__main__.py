"""Entry points: `dairy-desktop` (console) and `dairy-desktop-gui` (windowed, no console)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dairy_desktop.cli.main import run
from dairy_desktop.config.logging_setup import configure_logging


def _open_window(args: argparse.Namespace) -> int:
    # Qt GUI (~0.2 s): only when no command was given; a build without the window says so.
    try:
        from dairy_desktop.ui.app import run_app
    except ImportError:
        print("The window is not available in this build; run 'dairy-desktop --help'.")
        return 0
    return run_app(args)


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
