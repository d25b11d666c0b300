"""The one table of what each status allows covers every status and agrees with itself."""

from __future__ import annotations

import pytest

from dairy_desktop.domain.allowances import ALLOWANCES, can_consume, why_not_consumable
from dairy_desktop.domain.status import BatchStatus


def test_every_status_has_exactly_one_row() -> None:
    assert set(ALLOWANCES) == set(BatchStatus)


@pytest.mark.parametrize("status", list(BatchStatus))
def test_a_refused_consume_always_says_why(status: BatchStatus) -> None:
    reason = why_not_consumable(status)
    assert (reason is None) == can_consume(status)
    if reason is not None:
        assert reason.startswith(("is ", "has ", "was "))


def test_only_live_milk_with_time_left_is_consumable() -> None:
    consumable = {s for s in BatchStatus if can_consume(s)}
    assert consumable == {BatchStatus.FRESH, BatchStatus.NEAR_EXPIRY, BatchStatus.EXPIRES_TODAY}


def test_only_deleted_batches_can_be_restored_and_they_cannot_be_deleted_again() -> None:
    assert {s for s, a in ALLOWANCES.items() if a.restore} == {BatchStatus.DELETED}
    assert not ALLOWANCES[BatchStatus.DELETED].delete
