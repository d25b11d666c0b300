"""A rotating log file in the user's log folder; support reads it with the audit trail."""

from __future__ import annotations

import logging
import logging.handlers

from dairy_desktop.config import paths

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"


def log_file_path() -> str:
    return str(paths.log_dir() / "dairy-desktop.log")


def configure_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_dairy", False) for h in root.handlers):
        return
    try:
        paths.log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file_path(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:  # read-only profile: logging must never stop the app
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler._dairy = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
