"""Every change exactly once, decided by the database: a change whose request id is already
stored changes nothing and returns the first result, on SQLite and PostgreSQL, also when
the original and its retry race each other (the unique index decides; the loser reads the
winner's result)."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed
from dairy_desktop.services.audit_trail import AuditFilter, event_for_request, list_audit
from dairy_desktop.services.consume import consume, consume_once
from dairy_desktop.services.lifecycle import delete_once, restore_once
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.register import register_once
from tests.integration.concurrent_worker import consume_with_request_id
from tests.integration.helpers import ANN, BOB, register
from tests.support.databases import open_test_database

CODE = "SCH-20251204-0001"


def test_a_consume_sent_again_changes_nothing_and_gives_the_first_result(
    database: Database,
) -> None:
    register(database, liters="10")
    actor = ANN.for_action("retry-me:1")
    first = consume_once(database, CODE, "4", actor=actor, order_id="ORDER-20251204-0001")
    again = consume_once(database, CODE, "4", actor=actor, order_id="ORDER-20251204-0001")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.batch == first.batch
    assert again.event == first.event
    assert get_batch(database, CODE).remaining_ml == 6_000
    consumes = list_audit(database, AuditFilter(action=AuditAction.CONSUME))
    assert [e.request_id for e in consumes] == ["retry-me:1"]


def test_the_replay_is_the_first_result_even_after_later_changes(database: Database) -> None:
    register(database, liters="10")
    actor = ANN.for_action()
    first = consume_once(database, CODE, "1", actor=actor)
    consume(database, CODE, "2", actor=BOB.for_action())
    delete_once(database, CODE, reason="sour", actor=BOB.for_action())
    again = consume_once(database, CODE, "1", actor=actor)
    assert again.replayed
    assert again.batch == first.batch
    assert (again.batch.remaining_ml, again.batch.version, again.batch.is_deleted) == (
        9_000,
        2,
        False,
    )
    assert get_batch(database, CODE).remaining_ml == 7_000


def test_register_delete_and_restore_are_replayed_too(database: Database) -> None:
    registering = ANN.for_action()
    received = datetime.now(UTC) - timedelta(hours=1)
    values = {"code": CODE, "liters": "10", "shelf_life_days": 5, "received_at": received}
    first = register_once(database, actor=registering, **values)  # type: ignore[arg-type]
    again = register_once(database, actor=registering, **values)  # type: ignore[arg-type]
    assert (again.replayed, again.batch, again.event) == (True, first.batch, first.event)

    deleting, restoring = ANN.for_action(), ANN.for_action()
    deleted = delete_once(database, CODE, reason="sour", actor=deleting)
    restored = restore_once(database, CODE, reason="mistake", actor=restoring)
    deleted_again = delete_once(database, CODE, reason="sour", actor=deleting)
    restored_again = restore_once(database, CODE, reason="mistake", actor=restoring)
    assert (deleted_again.replayed, deleted_again.batch) == (True, deleted.batch)
    assert deleted_again.batch.is_deleted
    assert (restored_again.replayed, restored_again.batch) == (True, restored.batch)
    assert [e.action for e in list_audit(database)] == [
        AuditAction.REGISTER,
        AuditAction.DELETE,
        AuditAction.RESTORE,
    ]


def test_a_change_without_a_request_id_is_not_deduplicated(database: Database) -> None:
    register(database, liters="10")
    consume(database, CODE, "1", actor=ANN)
    consume(database, CODE, "1", actor=ANN)
    assert get_batch(database, CODE).remaining_ml == 8_000


def test_the_event_for_a_request_is_found_and_an_unknown_one_is_not(database: Database) -> None:
    register(database, liters="10")
    changed = consume_once(database, CODE, "1", actor=ANN.for_action("lookup-1"))
    assert event_for_request(database, "lookup-1") == changed.event
    assert event_for_request(database, "never-sent") is None


def test_a_retry_racing_its_original_is_recorded_once(database_url: str) -> None:
    """Eight connections (threads, each its own engine like a PC) send the same consume
    with the same request id at once."""
    setup = open_test_database(database_url)
    register(setup, liters="10")
    gate = threading.Barrier(8)
    results: list[Changed] = []
    errors: list[BaseException] = []
    actor = ANN.for_action("raced-1")

    def send() -> None:
        database = open_test_database(database_url)
        try:
            database.ping()
            gate.wait(30)
            results.append(consume_once(database, CODE, "1", actor=actor))
        except BaseException as error:
            errors.append(error)
        finally:
            database.dispose()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(r.replayed for r in results) == [False] + [True] * 7
    assert {(r.batch.remaining_ml, r.batch.version, r.event.id) for r in results} == {
        (9_000, 2, results[0].event.id)
    }
    assert get_batch(setup, CODE).remaining_ml == 9_000
    assert len(list_audit(setup, AuditFilter(action=AuditAction.CONSUME))) == 1
    setup.dispose()


@pytest.mark.slow
def test_processes_racing_with_one_request_id_record_it_once(database_url: str) -> None:
    """The same race between separate processes, each a PC with its own engine."""
    setup = open_test_database(database_url)
    register(setup, liters="10")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(8) as pool:
        gate = manager.Barrier(8)
        tasks = [(database_url, CODE, "1", "raced-by-processes", gate)] * 8
        results = pool.starmap(consume_with_request_id, tasks, chunksize=1)
    assert len({r.pid for r in results}) == 8
    assert sorted(r.replayed for r in results) == [False] + [True] * 7
    assert {(r.remaining_ml, r.version, r.event_id) for r in results} == {
        (9_000, 2, results[0].event_id)
    }
    assert get_batch(setup, CODE).remaining_ml == 9_000
    setup.dispose()
