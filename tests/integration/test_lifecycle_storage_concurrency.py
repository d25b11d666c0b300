"""PostgreSQL: the lifecycle changes that depend on other rows (a QA result on the passes so
far, a reverse on whether the event is reversed already) decide after taking the batch's
lock, on what was committed before it: two PCs at once get what one after the other would.

Both changes are queued behind a transaction holding the batch's row lock, so they really
wait on each other; then it lets go."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.qa import QaRecord, QaResult, QaState
from dairy_desktop.services.ports import Changes
from tests.integration.test_lifecycle_storage import (
    CODE,
    change,
    changed,
    consume,
    current,
    events,
    pending,
    qa,
    released,
    reverse,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]
WAIT_S = 20


@contextmanager
def batch_locked(database: Database) -> Iterator[None]:
    """Another PC's open transaction holding the batch row until the block ends."""
    with database.engine.connect() as connection:
        connection.execute(text("BEGIN"))
        connection.execute(text("SELECT 1 FROM batches WHERE code = :c FOR UPDATE"), {"c": CODE})
        try:
            yield
        finally:
            connection.execute(text("COMMIT"))


def waiting_on_locks(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )


def together(
    database: Database, calls: list[Callable[[Changes], Changed | Refused]]
) -> list[Changed | Refused]:
    """Each call on its own connection, all waiting behind the lock before it is let go."""
    outcomes: list[Changed | Refused | BaseException] = []
    guard = threading.Lock()

    def run(call: Callable[[Changes], Changed | Refused]) -> None:
        try:
            result: Changed | Refused | BaseException = change(database, call)
        except BaseException as error:  # reported below, not lost in the thread
            result = error
        with guard:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    with batch_locked(database):
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + WAIT_S
        while waiting_on_locks(database) < len(calls):
            assert time.monotonic() < deadline, "the changes never queued on the lock"
            time.sleep(0.02)
    for thread in threads:
        thread.join(WAIT_S)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    assert len(outcomes) == len(calls)
    return [o for o in outcomes if not isinstance(o, BaseException)]


def test_two_required_tests_passed_at_once_both_count(database: Database) -> None:
    pending(database, tests="beta-lactam, aflatoxin-m1")
    beta = QaRecord(test="beta-lactam", result=QaResult.PASS, analyst="A")
    aflatoxin = QaRecord(test="aflatoxin-m1", result=QaResult.PASS, analyst="B")

    outcomes = together(database, [qa(beta), qa(aflatoxin)])

    assert all(isinstance(o, Changed) for o in outcomes)
    batch = current(database)
    assert batch.qa_state is QaState.RELEASED
    assert batch.version == 3
    assert [e.action for e in events(database)] == [AuditAction.REGISTER, *[AuditAction.QA] * 2]
    changed(database, consume(1_000))


def test_a_second_reverse_of_the_same_event_at_once_is_refused_not_an_error(
    database: Database,
) -> None:
    released(database, liters_ml=10_000)
    used = changed(database, consume(3_000)).event

    outcomes = together(database, [reverse(used.id), reverse(used.id)])

    assert sorted(type(o).__name__ for o in outcomes) == ["Changed", "Refused"]
    batch = current(database)
    assert (batch.remaining_ml, batch.version) == (10_000, 3)
    reversals = [e for e in events(database) if e.action is AuditAction.REVERSE]
    assert [e.reverses_id for e in reversals] == [used.id]
