"""Reversals on both databases: a consume or a dispose is undone by a new event that puts
its litres back; the original is marked reversed, never edited; refusals change nothing."""

from __future__ import annotations

import dataclasses

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction, AuditFilter
from dairy_desktop.domain.errors import (
    BatchDeleted,
    InvalidInput,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.holds import recall_once
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.lifecycle_reads import event
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.reverse import reverse_once
from tests.integration.helpers import ANN, BOB
from tests.integration.lifecycle_stock import CODE, released, snapshot


def test_reversing_a_consume_puts_its_litres_back_in_a_new_linked_event(
    database: Database,
) -> None:
    released(database)
    used = consume_once(database, CODE, "12.5", order_id="ORDER-20251204-0001", actor=ANN)
    original = event(database, used.event.id)
    undone = reverse_once(
        database, used.event.id, reason="wrong batch", expected_version=3, actor=BOB
    )
    assert (undone.batch.remaining_ml, undone.batch.version) == (1_000_000, 4)
    assert (undone.event.action, undone.event.liters_ml, undone.event.reverses_id) == (
        AuditAction.REVERSE,
        12_500,
        used.event.id,
    )
    assert (undone.event.reason, undone.event.operator, undone.event.batch_code) == (
        "wrong batch",
        "bob",
        CODE,
    )
    after = event(database, used.event.id)
    assert after.reversed_by == undone.event.id
    # The original is never edited: only the read marks it reversed.
    assert after == dataclasses.replace(original, reversed_by=undone.event.id)
    history = list_audit(database, AuditFilter(batch_code=CODE))
    assert [e.reversed_by for e in history if e.id == used.event.id] == [undone.event.id]
    assert get_batch(database, CODE) == undone.batch


def test_reversing_a_write_off_puts_it_back_and_the_ledger_holds(database: Database) -> None:
    batch = released(database)
    consume_once(database, CODE, "100", actor=ANN)
    written_off = dispose_once(database, CODE, "50", reason_code="spillage", actor=ANN)
    reverse_once(database, written_off.event.id, reason="it was a count slip", actor=ANN)
    consume_once(database, CODE, "0.5", actor=ANN)
    events = list_audit(database, AuditFilter(batch_code=CODE))

    def total(action: AuditAction) -> int:
        return sum(e.liters_ml or 0 for e in events if e.action is action)

    ledger = (
        batch.initial_ml
        - total(AuditAction.CONSUME)
        - total(AuditAction.DISPOSE)
        + total(AuditAction.REVERSE)
    )
    assert ledger == get_batch(database, CODE).remaining_ml == 899_500


def test_what_cannot_be_reversed_is_refused_and_nothing_changes(database: Database) -> None:
    released(database)
    register_event = list_audit(database)[0]
    used = consume_once(database, CODE, "10", actor=ANN)
    undone = reverse_once(database, used.event.id, reason="slip", actor=ANN)
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="already reversed by event"):
        reverse_once(database, used.event.id, reason="again", actor=ANN)
    with pytest.raises(RuleRefused, match="itself a reversal"):
        reverse_once(database, undone.event.id, reason="undo the undo", actor=ANN)
    with pytest.raises(RuleRefused, match="only a consume or a dispose"):
        reverse_once(database, register_event.id, reason="x", actor=ANN)
    with pytest.raises(NotFound, match="No audit event with id 999999"):
        reverse_once(database, 999_999, reason="x", actor=ANN)
    with pytest.raises(InvalidInput):
        reverse_once(database, "twelve", reason="x", actor=ANN)
    with pytest.raises(InvalidInput, match="reason is required"):
        reverse_once(database, used.event.id, reason="", actor=ANN)
    assert snapshot(database) == before


def test_a_stale_version_is_a_conflict(database: Database) -> None:
    released(database)
    used = consume_once(database, CODE, "10", actor=ANN)
    before = snapshot(database)
    with pytest.raises(VersionConflict):
        reverse_once(database, used.event.id, reason="x", expected_version=2, actor=ANN)
    assert snapshot(database) == before


@pytest.mark.parametrize("how", ["deleted", "recalled"])
def test_nothing_goes_back_into_a_deleted_or_recalled_batch(database: Database, how: str) -> None:
    released(database)
    used = consume_once(database, CODE, "10", actor=ANN)
    if how == "deleted":
        delete_batch(database, CODE, reason="sour", actor=ANN)
        refusal: type[Exception] = BatchDeleted
    else:
        recall_once(database, CODE, reason="supplier notice", actor=ANN)
        refusal = RuleRefused
    before = snapshot(database)
    with pytest.raises(refusal, match=f"is {how}"):
        reverse_once(database, used.event.id, reason="x", actor=ANN)
    assert snapshot(database) == before


def test_the_same_request_id_reverses_once(database: Database) -> None:
    released(database)
    used = consume_once(database, CODE, "10", actor=ANN)
    other = consume_once(database, CODE, "5", actor=ANN)
    actor = ANN.for_action("reverse-1")
    first = reverse_once(database, used.event.id, reason="slip", actor=actor)
    again = reverse_once(database, used.event.id, reason="slip", actor=actor)
    assert again.replayed
    assert again.event == first.event
    assert get_batch(database, CODE).remaining_ml == 995_000
    with pytest.raises(InvalidInput, match="already used for reverse"):
        reverse_once(database, other.event.id, reason="slip", actor=actor)
    assert event(database, other.event.id).reversed_by is None
