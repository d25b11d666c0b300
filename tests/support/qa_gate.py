"""Turning the QA release gate on or off in a test database (the templates have it off)."""

from __future__ import annotations

from datetime import UTC, datetime

from dairy_desktop.db.database import Database
from dairy_desktop.db.repositories import SettingsRepository


def set_qa_gate(database: Database, on: bool, *, required_tests: str | None = None) -> None:
    """Store the gate (and the required tests, if given) as the settings screen would."""
    with database.engine.begin() as connection:
        settings = SettingsRepository(connection)
        at = datetime.now(UTC)
        settings.put("qa_release_required", "true" if on else "false", at=at, by="test")
        if required_tests is not None:
            settings.put("qa_required_tests", required_tests, at=at, by="test")
