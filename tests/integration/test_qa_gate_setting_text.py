"""The QA gate's stored text reads the same on both databases (not on the in-memory one,
which has no SQL row to write by hand)."""

from __future__ import annotations

from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.qa import QaState
from tests.integration.test_lifecycle_storage import register
from tests.support.qa_gate import set_qa_gate


def test_a_gate_stored_with_blanks_around_it_counts_as_on_on_both_databases(
    database: Database,
) -> None:
    # services.plant_settings and the SQLite path trim every blank (tab, newline too), so
    # PostgreSQL's register must as well, or the same row would gate on one database only.
    set_qa_gate(database, False)
    with database.engine.begin() as connection:
        connection.execute(
            text("UPDATE plant_settings SET value = :v WHERE key = 'qa_release_required'"),
            {"v": "\tTrue\n"},
        )
    assert register(database).qa_state is QaState.PENDING
