"""Plant-settings changes are recorded (who, when, old → new) in an append-only history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dairy_desktop.db.database import Database, open_database
from dairy_desktop.services.plant_settings import get_plant_settings, update_plant_settings
from dairy_desktop.services.settings_history import settings_history
from tests.e2e.cli_runner import run_cli
from tests.integration.helpers import ANN, BOB


def test_each_change_is_recorded_with_who_when_old_and_new(database: Database) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    settings = get_plant_settings(database)
    update_plant_settings(database, replace(settings, plant_name="North dairy"), ANN)
    update_plant_settings(database, replace(settings, plant_name="South dairy"), BOB)

    history = [c for c in settings_history(database) if c.key == "plant_name"]

    assert [(c.old_value, c.new_value, c.operator) for c in history] == [
        (None, "North dairy", "ann"),
        ("North dairy", "South dairy", "bob"),
    ]
    assert all(before <= c.at <= datetime.now(UTC) + timedelta(seconds=5) for c in history)
    if database.kind == "postgresql":
        assert history[0].db_user == "postgres"  # the database login, beside the operator


def test_saving_unchanged_settings_records_nothing_new(database: Database) -> None:
    settings = replace(get_plant_settings(database), near_expiry_days=3)
    update_plant_settings(database, settings, ANN)
    recorded = len(settings_history(database))

    update_plant_settings(database, settings, BOB)

    assert len(settings_history(database)) == recorded


@pytest.mark.parametrize(
    "statement",
    ["UPDATE plant_setting_changes SET new_value = 'x'", "DELETE FROM plant_setting_changes"],
)
def test_the_history_is_append_only(database: Database, statement: str) -> None:
    update_plant_settings(database, replace(get_plant_settings(database), plant_name="X"), ANN)

    with pytest.raises(DBAPIError, match="append-only"), database.engine.begin() as connection:
        connection.execute(text(statement))


def test_audit_settings_shows_the_history(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Migration 0005 records the QA gate it sets (and the test template then turns it off).
    first = run_cli(capsys, database_url, "audit", "settings", "--json").json()
    assert {row["key"] for row in first} == {"qa_release_required"}
    assert first[0]["operator"] == "schema upgrade"
    opened = open_database(database_url)
    try:
        update_plant_settings(opened, replace(get_plant_settings(opened), plant_name="Y"), ANN)
    finally:
        opened.dispose()

    outcome = run_cli(capsys, database_url, "audit", "settings", "--json")

    assert outcome.code == 0
    names = [row for row in outcome.json() if row["key"] == "plant_name"]
    assert names[0]["new_value"] == "Y"
    assert names[0]["operator"] == "ann"
