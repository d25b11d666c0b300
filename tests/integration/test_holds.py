"""Hold, release and recall on both databases: a hold stops use until released, a recall
for good and answers which orders used the milk; refusals change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    BatchDeleted,
    InvalidInput,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume, consume_once
from dairy_desktop.services.holds import hold_once, recall_once, release_once
from dairy_desktop.services.lifecycle_reads import orders_using
from dairy_desktop.services.queries import get_batch, list_batches
from dairy_desktop.services.reverse import reverse_once
from tests.integration.helpers import ANN, BOB
from tests.integration.lifecycle_stock import (
    CODE,
    deleted,
    held,
    recalled,
    released,
    snapshot,
)

Make = Callable[[Database], Batch]


def test_a_hold_stops_consuming_until_it_is_released(database: Database) -> None:
    released(database)
    on_hold = hold_once(database, CODE, reason="lab query", actor=BOB, expected_version=2)
    assert on_hold.batch.is_held
    assert on_hold.batch.version == 3
    assert list_batches(database).status_of(on_hold.batch) is BatchStatus.ON_HOLD
    assert (on_hold.event.action, on_hold.event.reason, on_hold.event.operator) == (
        AuditAction.HOLD,
        "lab query",
        "bob",
    )
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="is on hold"):
        consume(database, CODE, "1", actor=ANN)
    assert snapshot(database) == before
    lifted = release_once(database, CODE, reason="lab clear", actor=ANN)
    assert (lifted.batch.is_held, lifted.batch.version, lifted.event.action) == (
        False,
        4,
        AuditAction.RELEASE,
    )
    assert consume(database, CODE, "1", actor=ANN).remaining_ml == 999_000


@pytest.mark.parametrize(
    ("make", "refusal", "words"),
    [
        (held, RuleRefused, "on hold already"),
        (deleted, BatchDeleted, "is deleted"),
        (recalled, RuleRefused, "is recalled"),
    ],
    ids=["held", "deleted", "recalled"],
)
def test_a_hold_is_refused_on_a_held_deleted_or_recalled_batch(
    database: Database,
    make: Make,
    refusal: type[Exception],
    words: str,
) -> None:
    make(database)
    before = snapshot(database)
    with pytest.raises(refusal, match=words):
        hold_once(database, CODE, reason="again", actor=ANN)
    assert snapshot(database) == before


def test_only_a_hold_is_released_and_never_a_recall(database: Database) -> None:
    released(database)
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="not on hold"):
        release_once(database, CODE, reason="x", actor=ANN)
    assert snapshot(database) == before
    hold_once(database, CODE, reason="lab query", actor=ANN)
    recall_once(database, CODE, reason="supplier notice", actor=ANN)
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="recall is final"):
        release_once(database, CODE, reason="x", actor=ANN)
    assert snapshot(database) == before


def test_a_recall_is_final_and_tells_which_orders_used_the_milk(database: Database) -> None:
    released(database)
    first = consume_once(database, CODE, "10", order_id="ORDER-20251204-0001", actor=ANN)
    consume_once(database, CODE, "2.5", order_id="ORDER-20251204-0002", actor=BOB)
    undone = reverse_once(database, first.event.id, reason="wrong batch", actor=ANN)
    recall = recall_once(database, CODE, reason="supplier notice", actor=ANN)
    assert recall.batch.is_recalled
    assert recall.event.action is AuditAction.RECALL
    uses = orders_using(database, CODE)
    assert [(u.order_id, u.liters_ml, u.operator, u.workstation) for u in uses] == [
        ("ORDER-20251204-0001", 10_000, "ann", "PC-1"),
        ("ORDER-20251204-0002", 2_500, "bob", "PC-2"),
    ]
    assert [u.reversed_by for u in uses] == [undone.event.id, None]
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="is recalled"):
        consume(database, CODE, "1", actor=ANN)
    with pytest.raises(RuleRefused, match="recalled already"):
        recall_once(database, CODE, reason="again", actor=ANN)
    assert snapshot(database) == before


def test_a_deleted_batch_can_still_be_recalled(database: Database) -> None:
    deleted(database)
    recall = recall_once(database, CODE, reason="its milk was used", actor=ANN)
    assert recall.batch.is_recalled
    assert recall.batch.is_deleted


def test_unknown_stale_and_reasonless_changes_change_nothing(database: Database) -> None:
    released(database)
    before = snapshot(database)
    for change in (hold_once, release_once, recall_once):
        with pytest.raises(NotFound):
            change(database, "SCH-20251204-0999", reason="x", actor=ANN)
        with pytest.raises(VersionConflict):
            change(database, CODE, reason="x", expected_version=9, actor=ANN)
        with pytest.raises(InvalidInput, match="reason is required"):
            change(database, CODE, reason=" ", actor=ANN)
    with pytest.raises(NotFound):
        orders_using(database, "SCH-20251204-0999")
    assert snapshot(database) == before


def test_the_same_request_id_holds_once(database: Database) -> None:
    released(database)
    actor = ANN.for_action("hold-1")
    first = hold_once(database, CODE, reason="lab query", actor=actor)
    again = hold_once(database, CODE, reason="lab query", actor=actor)
    assert again.replayed
    assert again.event == first.event
    assert get_batch(database, CODE).version == first.batch.version
    assert [e.action for e in list_audit(database)].count(AuditAction.HOLD) == 1
    with pytest.raises(InvalidInput, match="already used for hold"):
        recall_once(database, CODE, reason="lab query", actor=actor)
    assert not get_batch(database, CODE).is_recalled
