"""The About box: version, database kind and location, where logs are written."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import dairy_desktop
from dairy_desktop.config.logging_setup import log_file_path

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession


def about_text(session: AppSession | None) -> str:
    if session is None:
        database = "not connected"
    else:
        kind = "PostgreSQL" if session.database.kind == "postgresql" else "SQLite"
        database = f"{kind} — {session.database.location}"
    # Looked up here, not imported: the version is read from the package metadata (~30 ms),
    # which `from dairy_desktop import __version__` would pay on every start.
    version = dairy_desktop.__version__
    return (
        f"<h3>Dairy Desktop {html.escape(version)}</h3>"
        "<p>Milk batches, expiry and consumption for the plant office.</p>"
        f"<p><b>Database:</b> {html.escape(database)}<br>"
        f"<b>Log file:</b> {html.escape(log_file_path())}</p>"
    )
