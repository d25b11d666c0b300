"""The *_once services: a request id already recorded changes nothing and gives the first
result again, and the plain services keep returning what they always did."""

from __future__ import annotations

from datetime import timedelta

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.audit_trail import event_for_request, list_audit
from dairy_desktop.services.consume import consume, consume_once
from dairy_desktop.services.lifecycle import delete_batch, delete_once, restore_once
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.register import register_once, registration_warnings
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, BOB, NOW, code, fresh


def test_the_actor_for_an_action_carries_a_request_id() -> None:
    assert ANN.request_id is None
    action = ANN.for_action()
    assert action.request_id == action.correlation_id
    assert action.stamp(NOW).request_id == action.request_id


def test_a_request_id_given_by_the_caller_is_the_one_recorded(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    actor = ANN.for_action("scheduler:42")
    consume_once(database, code(1), "3", actor=actor, now=NOW)
    again = consume_once(database, code(1), "3", actor=actor, now=NOW + timedelta(minutes=1))
    consumes = [e for e in list_audit(database) if e.action is AuditAction.CONSUME]
    assert [e.request_id for e in consumes] == ["scheduler:42"]
    assert again.replayed
    assert get_batch(database, code(1)).remaining_ml == 7_000


def test_a_consume_sent_twice_is_one_consume(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    actor = BOB.for_action("once-1")
    first = consume_once(database, code(1), "3", actor=actor, now=NOW)
    again = consume_once(database, code(1), "3", actor=actor, now=NOW + timedelta(minutes=1))
    assert (first.replayed, again.replayed) == (False, True)
    assert (again.batch, again.event) == (first.batch, first.event)
    assert get_batch(database, code(1)).remaining_ml == 7_000
    assert event_for_request(database, "once-1") == first.event


def test_a_replay_rebuilds_the_first_result_after_later_changes(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    deleting = BOB.for_action()
    deleted = delete_once(database, code(1), reason="sour", actor=deleting, now=NOW)
    restore_once(database, code(1), reason="mistake", actor=BOB.for_action(), now=NOW)
    consume(database, code(1), "1", actor=BOB.for_action(), now=NOW)
    again = delete_once(database, code(1), reason="sour", actor=deleting, now=NOW)
    assert again.replayed
    assert again.batch == deleted.batch
    assert [e.action for e in list_audit(database)][-3:] == [
        AuditAction.DELETE,
        AuditAction.RESTORE,
        AuditAction.CONSUME,
    ]


def test_a_registration_sent_twice_is_one_registration_not_a_duplicate_code(
    database: FakeDatabase,
) -> None:
    actor = ANN.for_action()
    values = {"code": code(1), "liters": "10", "shelf_life_days": 3, "actor": actor, "now": NOW}
    first = register_once(database, **values)  # type: ignore[arg-type]
    again = register_once(database, **values)  # type: ignore[arg-type]
    assert (again.replayed, again.batch) == (True, first.batch)
    assert registration_warnings(again) == []
    assert len(list_audit(database)) == 1


def test_an_expired_registration_is_warned_about(database: FakeDatabase) -> None:
    changed = register_once(
        database,
        code=code(1),
        liters="10",
        shelf_life_days=1,
        received_at=NOW - timedelta(days=2),
        actor=ANN,
        now=NOW,
    )
    assert "already expired when registered" in registration_warnings(changed)[0]


def test_the_plain_services_still_return_the_batch(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    assert consume(database, code(1), "1", actor=ANN, now=NOW).remaining_ml == 9_000
    assert delete_batch(database, code(1), reason="sour", actor=ANN, now=NOW).is_deleted
