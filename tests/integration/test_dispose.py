"""Write-offs on both databases: the litres leave stock with a reason code, on any batch
that has some (not a deleted one), and a rejected load only as a rejected load."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import (
    BatchDeleted,
    InvalidInput,
    NotEnoughLeft,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import ANN
from tests.integration.lifecycle_stock import (
    CODE,
    deleted,
    expired,
    held,
    pending,
    recalled,
    rejected,
    released,
    snapshot,
)

Make = Callable[[Database], Batch]


def test_a_write_off_takes_the_litres_with_its_reason_code_and_note(database: Database) -> None:
    released(database)
    changed = dispose_once(
        database,
        CODE,
        "12.5",
        reason_code="spillage",
        note="hose burst",
        expected_version=2,
        actor=ANN,
    )
    assert (changed.batch.remaining_ml, changed.batch.version) == (987_500, 3)
    event = changed.event
    assert (event.action, event.liters_ml, event.reason_code, event.remaining_after_ml) == (
        AuditAction.DISPOSE,
        12_500,
        "spillage",
        987_500,
    )
    assert event.reason == "hose burst"
    assert get_batch(database, CODE) == changed.batch


@pytest.mark.parametrize(
    "make", [pending, held, recalled, expired], ids=["pending", "held", "recalled", "expired"]
)
def test_all_that_remains_can_be_written_off_from_a_batch_that_cannot_be_used(
    database: Database,
    make: Make,
) -> None:
    make(database)
    changed = dispose_once(database, CODE, None, reason_code="expired", actor=ANN)
    assert changed.batch.remaining_ml == 0
    assert changed.event.liters_ml == get_batch(database, CODE).initial_ml
    before = snapshot(database)
    with pytest.raises(NotEnoughLeft, match="is empty"):
        dispose_once(database, CODE, None, reason_code="expired", actor=ANN)
    assert snapshot(database) == before


def test_a_rejected_load_goes_only_as_a_rejected_load(database: Database) -> None:
    rejected(database)
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="rejected-load"):
        dispose_once(database, CODE, None, reason_code="spillage", actor=ANN)
    assert snapshot(database) == before
    changed = dispose_once(database, CODE, None, reason_code="rejected-load", actor=ANN)
    assert (changed.batch.remaining_ml, changed.event.reason_code) == (0, "rejected-load")


def test_rejected_load_fits_no_other_batch(database: Database) -> None:
    released(database)
    before = snapshot(database)
    with pytest.raises(RuleRefused, match="only for a batch rejected by QA"):
        dispose_once(database, CODE, "1", reason_code="rejected-load", actor=ANN)
    assert snapshot(database) == before


def test_refusals_change_nothing(database: Database) -> None:
    released(database, liters="10")
    before = snapshot(database)
    with pytest.raises(NotEnoughLeft, match=r"only 10\.000 L remain"):
        dispose_once(database, CODE, "10.001", reason_code="spillage", actor=ANN)
    with pytest.raises(NotFound):
        dispose_once(database, "SCH-20251204-0999", "1", reason_code="spillage", actor=ANN)
    with pytest.raises(VersionConflict):
        dispose_once(database, CODE, "1", reason_code="spillage", expected_version=1, actor=ANN)
    with pytest.raises(InvalidInput, match="needs a note"):
        dispose_once(database, CODE, "1", reason_code="other", actor=ANN)
    with pytest.raises(InvalidInput, match="unknown"):
        dispose_once(database, CODE, "1", reason_code="evaporated", actor=ANN)
    with pytest.raises(InvalidInput, match="more than 0"):
        dispose_once(database, CODE, "0", reason_code="spillage", actor=ANN)
    assert snapshot(database) == before


def test_a_deleted_batch_is_not_written_off(database: Database) -> None:
    deleted(database)
    before = snapshot(database)
    with pytest.raises(BatchDeleted, match="is deleted"):
        dispose_once(database, CODE, None, reason_code="expired", actor=ANN)
    assert snapshot(database) == before


def test_the_same_request_id_writes_off_once(database: Database) -> None:
    released(database)
    actor = ANN.for_action("dispose-1")
    first = dispose_once(database, CODE, None, reason_code="lab-sample", actor=actor)
    again = dispose_once(database, CODE, None, reason_code="lab-sample", actor=actor)
    assert again.replayed
    assert again.event == first.event
    assert get_batch(database, CODE).remaining_ml == 0
    with pytest.raises(InvalidInput, match="already used for dispose"):
        dispose_once(database, CODE, None, reason_code="spillage", actor=actor)
