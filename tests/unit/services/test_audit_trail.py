"""Every change leaves exactly one audit event; refusals leave none; the trail reads back
filtered and in pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.domain.audit import AuditAction, AuditFilter
from dairy_desktop.domain.errors import DairyError
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from dairy_desktop.services.queries import get_batch
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, BOB, NOW, code, fresh


def _every_kind_of_change(database: FakeDatabase) -> None:
    fresh(database)
    consume(database, code(1), "1", actor=BOB, now=NOW)
    delete_batch(database, code(1), reason="sour", actor=ANN, now=NOW)
    restore_batch(database, code(1), reason="mistake", actor=BOB, now=NOW)


def test_each_change_leaves_one_event_recording_the_state_it_left(database: FakeDatabase) -> None:
    _every_kind_of_change(database)
    events = list_audit(database)
    assert [(e.action, e.version_after, e.remaining_after_ml) for e in events] == [
        (AuditAction.REGISTER, 1, 1_000_000),
        (AuditAction.CONSUME, 2, 999_000),
        (AuditAction.DELETE, 3, 999_000),
        (AuditAction.RESTORE, 4, 999_000),
    ]
    assert events[-1].version_after == get_batch(database, code(1)).version
    assert database.commits == 4


def test_each_event_carries_the_correlation_id_of_the_action_that_made_it(
    database: FakeDatabase,
) -> None:
    _every_kind_of_change(database)
    assert [e.correlation_id for e in list_audit(database)] == [
        "ann-action",
        "bob-action",
        "ann-action",
        "bob-action",
    ]


@pytest.mark.parametrize(
    "refused_change",
    [
        lambda db: consume(db, code(1), "5000", actor=ANN, now=NOW),
        lambda db: consume(db, code(1), "1", actor=ANN, expected_version=9, now=NOW),
        lambda db: restore_batch(db, code(1), reason="mistake", actor=ANN, now=NOW),
        lambda db: delete_batch(db, code(2), reason="sour", actor=ANN, now=NOW),
    ],
)
def test_a_refused_change_leaves_no_event_and_commits_nothing(
    database: FakeDatabase, refused_change: Callable[[FakeDatabase], object]
) -> None:
    fresh(database)
    with pytest.raises(DairyError):
        refused_change(database)
    assert len(list_audit(database)) == 1
    assert database.commits == 1


def test_the_trail_filters_by_batch_operator_and_action(database: FakeDatabase) -> None:
    _every_kind_of_change(database)
    fresh(database, 2)
    by_bob = list_audit(database, AuditFilter(operator=" bob "))
    assert [e.action for e in by_bob] == [AuditAction.CONSUME, AuditAction.RESTORE]
    registers = list_audit(database, AuditFilter(action=AuditAction.REGISTER))
    assert [e.batch_code for e in registers] == [code(1), code(2)]
    assert len(list_audit(database, AuditFilter(batch_code=code(2)))) == 1


def test_the_trail_pages_newest_first(database: FakeDatabase) -> None:
    _every_kind_of_change(database)
    first = list_audit(database, limit=3, newest_first=True)
    rest = list_audit(database, limit=3, before_id=first[-1].id, newest_first=True)
    assert [e.action for e in first + rest] == [
        AuditAction.RESTORE,
        AuditAction.DELETE,
        AuditAction.CONSUME,
        AuditAction.REGISTER,
    ]
