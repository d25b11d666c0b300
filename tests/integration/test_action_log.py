"""Support matches a complaint to a log line and an audit row by the correlation id."""

import logging

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import NotEnoughLeft
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from tests.integration.helpers import ANN, register


def test_each_action_logs_one_line_with_the_audit_events_correlation_id(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    register(database, liters="10")
    actor = ANN.for_action()
    caplog.clear()  # only this test's consumes: the registration may be logged too
    with caplog.at_level(logging.INFO, logger="dairy_desktop.actions"):
        consume(database, "SCH-20251204-0001", "2.5", actor=actor, order_id="ORDER-20251204-0001")
        with pytest.raises(NotEnoughLeft):
            consume(database, "SCH-20251204-0001", "99", actor=ANN.for_action())
    event = list_audit(database)[-1]
    assert event.correlation_id == actor.correlation_id
    done, refused = [r.getMessage() for r in caplog.records if r.name == "dairy_desktop.actions"]
    assert done.startswith(f"[{actor.correlation_id}] ann@PC-1 consume ('SCH-20251204-0001'")
    assert "7500 mL left, version 2" in done
    assert "refused" in refused
    assert "only 7.500 L remain" in refused
