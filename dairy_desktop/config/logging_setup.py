"""A rotating log file in the user's log folder; support reads it with the audit trail.

The log must never stop or flood a command: when it cannot be opened or written (a
read-only profile, a full disk) the program says so in one warning line on stderr and
carries on without it.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import signal
import sys
from typing import IO

from dairy_desktop.config import paths

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"
PROGRAM = "dairy-desktop"


def log_file_path() -> str:
    return str(paths.log_dir() / "dairy-desktop.log")


def _warn_once(reason: BaseException | str) -> None:
    detail = reason if isinstance(reason, str) else f"{type(reason).__name__}: {reason}"
    print(
        f"{PROGRAM}: warning: cannot write the log file {log_file_path()} ({detail}); "
        "carrying on without it",
        file=sys.stderr,
    )


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file, which on its first failed write warns once and stops trying."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        _warn_once(sys.exc_info()[1] or "write failed")
        stream, self.stream = self.stream, None
        try:
            if stream is not None:
                stream.close()
        except OSError:  # its unwritten buffer fails again on close: it is dropped
            pass

    def flush(self) -> None:
        if not self.failed:
            try:
                super().flush()
            except OSError as error:
                self.failed = True
                _warn_once(error)

    def close(self) -> None:
        if self.failed:
            self.stream = None
        super().close()

    def doRollover(self) -> None:
        # Crash traces follow the log into its new file. Their handle is closed first:
        # Windows cannot rename a file that is open.
        tracing = _stop_crash_traces()
        super().doRollover()
        if tracing:
            enable_crash_traces()


def configure_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_dairy", False) for h in root.handlers):
        return
    try:
        paths.log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _LogFile(
            log_file_path(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as error:
        _warn_once(error)
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._dairy = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


# The file faulthandler writes to, open for the process: faulthandler keeps only its file
# descriptor, so the file object must outlive every possible crash.
_crash_file: IO[str] | None = None


def enable_crash_traces() -> bool:
    """Write a Python trace of every thread into the log file if the process crashes.

    A segmentation fault (a Qt object used on the wrong thread) kills the process before
    any Python handler runs; faulthandler writes the stacks from the signal handler. On
    POSIX, SIGUSR1 writes them too without stopping the program (for a hung window).
    False when the log file cannot be opened (the crash then goes to stderr, if any).
    """
    global _crash_file
    try:
        paths.log_dir().mkdir(parents=True, exist_ok=True)
        opened = open(log_file_path(), "a", encoding="utf-8")  # noqa: SIM115 - for the process
    except OSError as error:
        _warn_once(error)
        return False
    _stop_crash_traces()
    _crash_file = opened
    faulthandler.enable(file=opened, all_threads=True)
    if hasattr(faulthandler, "register") and hasattr(signal, "SIGUSR1"):  # not on Windows
        faulthandler.register(signal.SIGUSR1, file=opened, all_threads=True, chain=False)
    return True


def _stop_crash_traces() -> bool:
    """Point faulthandler away from the file before closing it (its descriptor number could
    be reused by another file, which a crash would then write into). True if it was on."""
    global _crash_file
    if _crash_file is None:
        return False
    faulthandler.disable()
    if hasattr(faulthandler, "unregister") and hasattr(signal, "SIGUSR1"):
        faulthandler.unregister(signal.SIGUSR1)
    _crash_file.close()
    _crash_file = None
    return True
