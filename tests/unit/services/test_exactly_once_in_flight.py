"""After a lost connection, a change the server is still running is not "not landed": it
may yet commit. The app keeps asking until it has finished; still running at the end is
outcome unknown (exit 7). And "not landed" says to retry with the same request id."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.errors import DatabaseUnavailable, OutcomeUnknown
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.exactly_once import exactly_once
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, NOW, code, fresh

RID = "job-7"


class _Clock:
    """A monotonic clock that only sleeping moves."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


def _lost_then(database: FakeDatabase) -> Callable[[], Changed]:
    """A send whose first reply is lost (the server still running it); later sends work."""
    actor = ANN.for_action(RID)
    calls: list[int] = []

    def send() -> Changed:
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseUnavailable("PostgreSQL server at db:5432 unavailable (closed)")
        return consume_once(database, code(1), "1", actor=actor, now=NOW)

    return send


def _consumes(database: FakeDatabase) -> int:
    return sum(e.action is AuditAction.CONSUME for e in list_audit(database))


def test_a_change_still_running_is_waited_for_and_then_confirmed(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    database.in_flight.add(RID)
    clock = _Clock()
    actor = ANN.for_action(RID)

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if clock.sleeps == 2:  # the lock it waited for is freed: it commits
            database.in_flight.discard(RID)
            consume_once(database, code(1), "1", actor=actor, now=NOW)

    outcome = exactly_once(database, RID, _lost_then(database), sleep=sleep, clock=clock)
    assert outcome.confirmed_after_drop
    assert outcome.changed.batch.remaining_ml == 9_000
    assert _consumes(database) == 1


def test_a_change_still_running_at_the_end_is_outcome_unknown(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    database.in_flight.add(RID)
    clock = _Clock()
    with pytest.raises(OutcomeUnknown) as unknown:
        exactly_once(
            database,
            RID,
            _lost_then(database),
            sleep=clock.sleep,
            clock=clock,
        )
    assert unknown.value.exit_code == 7
    assert str(unknown.value) == (
        "outcome unknown: the database server was still running the change (waiting for "
        "another change to the batch) when the app stopped waiting for it; check with "
        f"`dairy-desktop audit --request-id {RID}`"
    )
    assert clock.now >= 9  # it kept asking for the whole reconnect budget
    assert _consumes(database) == 0


def test_not_landed_says_to_retry_with_the_same_request_id(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    clock = _Clock()
    with pytest.raises(DatabaseUnavailable) as not_landed:
        exactly_once(
            database,
            RID,
            _lost_then(database),
            sleep=clock.sleep,
            clock=clock,
        )
    message = str(not_landed.value)
    assert "nothing was recorded" in message
    assert f"try again with the same --request-id {RID}" in message
    assert _consumes(database) == 0
