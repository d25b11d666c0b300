"""Each refused lifecycle change is explained from the batch as it is: what, why, what to do,
and that nothing was changed, in the words of the status table (domain.allowances)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.errors import (
    BatchDeleted,
    DairyError,
    NotEnoughLeft,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.refusals import (
    refusal_for_consume,
    refusal_for_dispose,
    refusal_for_hold,
    refusal_for_qa,
    refusal_for_recall,
    refusal_for_release,
    refusal_for_reverse,
)

NOW = datetime(2025, 12, 4, 8, 0, tzinfo=UTC)
CODE = "SCH-20251204-0001"
BATCH = Batch(
    id=1,
    code=CODE,
    received_at=NOW - timedelta(hours=1),
    shelf_life_days=5,
    expires_at=NOW + timedelta(days=5),
    initial_ml=10_000,
    remaining_ml=4_000,
    fat_centi=None,
    version=3,
    deleted_at=None,
    updated_at=NOW,
    updated_by="ann",
    updated_workstation="PC-1",
)
HELD = dataclasses.replace(BATCH, held_at=NOW)
RECALLED = dataclasses.replace(BATCH, recalled_at=NOW)
REJECTED = dataclasses.replace(BATCH, qa_state=QaState.REJECTED)
PENDING = dataclasses.replace(BATCH, qa_state=QaState.PENDING)
DELETED = dataclasses.replace(BATCH, deleted_at=NOW)


def _event(action: AuditAction, **fields: object) -> AuditEvent:
    values: dict[str, object] = {
        "id": 7,
        "at": NOW,
        "batch_code": CODE,
        "action": action,
        "liters_ml": 1_000,
        "remaining_after_ml": 4_000,
        "version_after": 3,
        "order_id": None,
        "operator": "ann",
        "workstation": "PC-1",
        "reason": None,
        "correlation_id": None,
        **fields,
    }
    return AuditEvent(**values)  # type: ignore[arg-type]


def _says(error: DairyError, kind: type[DairyError], *words: str) -> None:
    assert type(error) is kind, error
    text = str(error)
    for word in words:
        assert word in text, text
    if kind not in (NotFound, VersionConflict):
        assert text.endswith("Nothing was changed."), text


@pytest.mark.parametrize(
    ("batch", "kind", "words"),
    [
        (DELETED, BatchDeleted, ("is deleted", "Restore it")),
        (RECALLED, RuleRefused, ("is recalled", "final")),
        (REJECTED, RuleRefused, ("was rejected by QA", "rejected-load")),
    ],
)
def test_a_refused_lab_result_names_the_batch_state(
    batch: Batch, kind: type[DairyError], words: tuple[str, ...]
) -> None:
    _says(refusal_for_qa(batch, CODE, expected_version=None), kind, CODE, *words)


@pytest.mark.parametrize(
    ("batch", "kind", "words"),
    [
        (DELETED, BatchDeleted, ("is deleted",)),
        (RECALLED, RuleRefused, ("is recalled", "final")),
        (HELD, RuleRefused, ("is on hold already", "since 2025-12-04 08:00 UTC")),
        # Held and rejected: the second hold is refused because it is held.
        (dataclasses.replace(REJECTED, held_at=NOW), RuleRefused, ("is on hold already",)),
    ],
)
def test_a_refused_hold_says_why(
    batch: Batch, kind: type[DairyError], words: tuple[str, ...]
) -> None:
    _says(refusal_for_hold(batch, CODE, expected_version=None), kind, *words)


def test_a_refused_release_says_there_is_no_hold_or_that_a_recall_is_final() -> None:
    _says(refusal_for_release(BATCH, CODE, expected_version=None), RuleRefused, "is not on hold")
    held_and_recalled = dataclasses.replace(HELD, recalled_at=NOW)
    _says(
        refusal_for_release(held_and_recalled, CODE, expected_version=None),
        RuleRefused,
        "is recalled",
        "cannot be released",
    )


def test_a_second_recall_is_refused_as_recalled_already() -> None:
    _says(refusal_for_recall(RECALLED, CODE, expected_version=None), RuleRefused, "already")


@pytest.mark.parametrize(
    ("batch", "liters", "reason", "kind", "words"),
    [
        (DELETED, None, DisposeReason.SPILLAGE, BatchDeleted, ("is deleted",)),
        (REJECTED, None, DisposeReason.SPILLAGE, RuleRefused, ("rejected by QA", "rejected-load")),
        (BATCH, None, DisposeReason.REJECTED_LOAD, RuleRefused, ("only for a batch rejected",)),
        (
            dataclasses.replace(BATCH, remaining_ml=0),
            None,
            DisposeReason.EXPIRED,
            NotEnoughLeft,
            ("is empty", "nothing left"),
        ),
        (
            BATCH,
            Decimal("4.5"),
            DisposeReason.SPILLAGE,
            NotEnoughLeft,
            ("4.500 L", "only 4.000 L remain"),
        ),
    ],
)
def test_a_refused_write_off_says_why(
    batch: Batch,
    liters: Decimal | None,
    reason: DisposeReason,
    kind: type[DairyError],
    words: tuple[str, ...],
) -> None:
    refusal = refusal_for_dispose(
        batch, CODE, liters=liters, reason_code=reason, expected_version=None
    )
    _says(refusal, kind, *words)


@pytest.mark.parametrize(
    ("event", "batch", "kind", "words"),
    [
        (None, None, NotFound, ("No audit event with id 7",)),
        (_event(AuditAction.REVERSE, reverses_id=5), BATCH, RuleRefused, ("itself a reversal",)),
        (_event(AuditAction.REGISTER), BATCH, RuleRefused, ("is a register", "only a consume")),
        (
            _event(AuditAction.CONSUME, reversed_by=9),
            BATCH,
            RuleRefused,
            ("already reversed by event 9",),
        ),
        (_event(AuditAction.DISPOSE), DELETED, BatchDeleted, ("is deleted",)),
        (_event(AuditAction.CONSUME), RECALLED, RuleRefused, ("is recalled",)),
    ],
)
def test_a_refused_reversal_says_why(
    event: AuditEvent | None, batch: Batch | None, kind: type[DairyError], words: tuple[str, ...]
) -> None:
    _says(refusal_for_reverse(batch, event, 7, expected_version=None), kind, *words)


def test_a_stale_version_is_a_conflict_for_every_new_change() -> None:
    for refusal in (
        refusal_for_qa(BATCH, CODE, expected_version=2),
        refusal_for_hold(BATCH, CODE, expected_version=2),
        refusal_for_release(BATCH, CODE, expected_version=2),
        refusal_for_recall(BATCH, CODE, expected_version=2),
        refusal_for_dispose(
            BATCH, CODE, liters=None, reason_code=DisposeReason.OTHER, expected_version=2
        ),
        refusal_for_reverse(BATCH, _event(AuditAction.CONSUME), 7, expected_version=2),
    ):
        assert isinstance(refusal, VersionConflict)
        assert refusal.current is BATCH


def test_a_missing_batch_is_not_found_for_every_new_change() -> None:
    for refusal in (
        refusal_for_qa(None, CODE, expected_version=None),
        refusal_for_hold(None, CODE, expected_version=None),
        refusal_for_release(None, CODE, expected_version=None),
        refusal_for_recall(None, CODE, expected_version=None),
        refusal_for_dispose(
            None, CODE, liters=None, reason_code=DisposeReason.OTHER, expected_version=None
        ),
    ):
        assert isinstance(refusal, NotFound)
        assert CODE in str(refusal)


@pytest.mark.parametrize(
    ("batch", "words"),
    [
        (PENDING, "awaiting QA release"),
        (HELD, "on hold"),
        (REJECTED, "rejected by QA"),
        (RECALLED, "recalled"),
    ],
)
def test_a_refused_consume_names_the_blocking_state(batch: Batch, words: str) -> None:
    refusal = refusal_for_consume(batch, CODE, liters=Decimal(1), expected_version=None, now=NOW)
    assert type(refusal) is RuleRefused
    assert words in str(refusal)
    assert str(refusal).endswith("Nothing was consumed.")
    assert batch.status(NOW, UTC) in {
        BatchStatus.PENDING_QA,
        BatchStatus.ON_HOLD,
        BatchStatus.REJECTED,
        BatchStatus.RECALLED,
    }
