"""Turning the QA release gate on or off in a test database (the templates have it off),
real or in memory (tests/support/fake_database.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.db.repositories import SettingsRepository
from tests.support.fake_database import FakeDatabase


def set_qa_gate(
    database: Database | FakeDatabase, on: bool, *, required_tests: str | None = None
) -> None:
    """Store the gate (and the required tests, if given) as the settings screen would."""
    if isinstance(database, FakeDatabase):
        database.set_qa_gate(on, required_tests=required_tests)
        return
    with database.engine.begin() as connection:
        settings = SettingsRepository(connection)
        at = datetime.now(UTC)
        settings.put("qa_release_required", "true" if on else "false", at=at, by="test")
        if required_tests is not None:
            settings.put("qa_required_tests", required_tests, at=at, by="test")


def forget_qa_gate(database: Database | FakeDatabase) -> None:
    """No qa_release_required row at all (which counts as on)."""
    if isinstance(database, FakeDatabase):
        database.tables.settings.pop("qa_release_required", None)
        return
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM plant_settings WHERE key = 'qa_release_required'"))
