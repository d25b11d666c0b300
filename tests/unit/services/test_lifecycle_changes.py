"""The lifecycle's changes on the in-memory database: each is one write unit of work that
commits once (a refusal commits nothing), logs one line with its correlation id, and a
request id sent again replays the first result."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.errors import RuleRefused
from dairy_desktop.domain.qa import QaState
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.holds import hold_once, recall_once, release_once
from dairy_desktop.services.lifecycle_reads import event, orders_using, qa_results
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reverse import reverse_once
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, NOW, code, fresh

LATER = NOW + timedelta(minutes=5)
Change = Callable[[FakeDatabase, Actor], Changed]


def _qa(database: FakeDatabase, actor: Actor) -> Changed:
    return record_qa_once(
        database, code(1), test="scc", result="pass", analyst="lab", actor=actor, now=LATER
    )


def _hold(database: FakeDatabase, actor: Actor) -> Changed:
    return hold_once(database, code(1), reason="query", actor=actor, now=LATER)


def _recall(database: FakeDatabase, actor: Actor) -> Changed:
    return recall_once(database, code(1), reason="notice", actor=actor, now=LATER)


def _dispose(database: FakeDatabase, actor: Actor) -> Changed:
    return dispose_once(database, code(1), "1", reason_code="spillage", actor=actor, now=LATER)


def _reverse(database: FakeDatabase, actor: Actor) -> Changed:
    used = consume_once(database, code(1), "5", actor=ANN, now=NOW)
    return reverse_once(database, used.event.id, reason="slip", actor=actor, now=LATER)


CHANGES: dict[str, tuple[Change, AuditAction]] = {
    "qa": (_qa, AuditAction.QA),
    "hold": (_hold, AuditAction.HOLD),
    "recall": (_recall, AuditAction.RECALL),
    "dispose": (_dispose, AuditAction.DISPOSE),
    "reverse": (_reverse, AuditAction.REVERSE),
}


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_change_is_one_committed_write_logged_with_its_correlation_id(
    database: FakeDatabase, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    change, action = CHANGES[name]
    fresh(database)
    actor = ANN.for_action()
    with caplog.at_level(logging.INFO, logger="dairy_desktop.actions"):
        caplog.clear()
        before = (database.commits, len(database.units_of_work))
        changed = change(database, actor)
    assert changed.event.action is action
    assert changed.event.correlation_id == actor.correlation_id
    assert changed.event.at == LATER
    assert database.units_of_work[-1] == "write"
    lines = [r.getMessage() for r in caplog.records if r.name == "dairy_desktop.actions"]
    assert lines[-1].startswith(f"[{actor.correlation_id}] ann@PC-1 {name} (")
    if name != "reverse":  # the reversal's set-up consumes first
        assert (database.commits, len(database.units_of_work)) == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_change_sent_again_with_its_request_id_replays_the_first(
    database: FakeDatabase, name: str
) -> None:
    change, _ = CHANGES[name]
    fresh(database)
    actor = ANN.for_action(f"{name}-1")
    first = change(database, actor)
    events = len(list_audit(database))
    again = (
        reverse_once(database, first.event.reverses_id or 0, reason="slip", actor=actor, now=LATER)
        if name == "reverse"
        else change(database, actor)
    )
    assert again.replayed
    assert again.event == first.event
    assert again.batch.version == first.batch.version
    assert len(list_audit(database)) == events


def test_a_refused_change_commits_nothing(database: FakeDatabase) -> None:
    fresh(database)
    _recall(database, ANN)
    commits = database.commits
    for change in (_qa, _hold, _recall):
        with pytest.raises(RuleRefused):
            change(database, ANN.for_action())
    with pytest.raises(RuleRefused):
        release_once(database, code(1), reason="x", actor=ANN, now=LATER)
    assert database.commits == commits


def test_the_reads_give_the_lab_results_the_uses_and_one_event(database: FakeDatabase) -> None:
    database.set_qa_gate(True)
    register_batch(database, code=code(1), liters="10", shelf_life_days=5, actor=ANN, now=NOW)
    released = _qa_pass(database)
    assert released.batch.qa_state is QaState.RELEASED
    used = consume_once(database, code(1), "2", order_id="ORDER-20251204-0001", actor=ANN, now=NOW)
    undone = reverse_once(database, used.event.id, reason="slip", actor=ANN, now=LATER)
    assert [e.id for e in qa_results(database, code(1))] == [released.event.id]
    assert [(u.id, u.reversed_by) for u in orders_using(database, code(1))] == [
        (used.event.id, undone.event.id)
    ]
    assert event(database, used.event.id).reversed_by == undone.event.id


def _qa_pass(database: FakeDatabase) -> Changed:
    return record_qa_once(
        database, code(1), test="beta-lactam", result="pass", analyst="lab", actor=ANN, now=NOW
    )
