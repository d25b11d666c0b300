"""The sample data tells a true story: nothing in its history happens before it was registered."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.sample_data import load_sample_data
from dairy_desktop.services.session import AppSession

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_no_event_of_a_sample_batch_is_dated_before_its_register(tmp_path: Path) -> None:
    session = AppSession.open(f"sqlite:///{tmp_path / 'samples.sqlite3'}", Actor("maria", "PC-1"))
    try:
        assert load_sample_data(session.database, session.actor, now=NOW) > 0
        consumes = 0
        for batch in session.listing().batches:
            history = sorted(session.history(batch.code), key=lambda event: event.id)
            assert history[0].action is AuditAction.REGISTER, batch.code
            registered_at = history[0].at
            for event in history[1:]:
                assert event.at >= registered_at, (batch.code, event.action, event.at)
                consumes += event.action is AuditAction.CONSUME
        assert consumes > 0  # the samples still show consumes, just honestly dated
    finally:
        session.close()
