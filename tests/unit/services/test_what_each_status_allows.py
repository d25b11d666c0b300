"""Consume, delete and restore go through exactly where domain.allowances says they may.

The fake checks its guards literally, as the SQL does; tests/integration runs the same
table against both real databases.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from dairy_desktop.domain.allowances import ALLOWANCES, can_consume
from dairy_desktop.domain.errors import RuleRefused
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from dairy_desktop.services.ports import Database
from tests.unit.services.stock import ANN, NOW, batch_in


def _goes_through(change: Callable[[], object]) -> bool:
    try:
        change()
    except RuleRefused:
        return False
    return True


def check_consume_follows_the_table(
    database: Database, status: BatchStatus, *, now: datetime = NOW
) -> None:
    batch = batch_in(database, status, now=now)
    done = _goes_through(lambda: consume(database, batch.code, "0.001", actor=ANN, now=now))
    assert done is can_consume(status)


def check_delete_follows_the_table(
    database: Database, status: BatchStatus, *, now: datetime = NOW
) -> None:
    batch = batch_in(database, status, now=now)
    done = _goes_through(
        lambda: delete_batch(database, batch.code, reason="sour", actor=ANN, now=now)
    )
    assert done is ALLOWANCES[status].delete


def check_restore_follows_the_table(
    database: Database, status: BatchStatus, *, now: datetime = NOW
) -> None:
    batch = batch_in(database, status, now=now)
    done = _goes_through(
        lambda: restore_batch(database, batch.code, reason="mistake", actor=ANN, now=now)
    )
    assert done is ALLOWANCES[status].restore


@pytest.mark.parametrize("status", list(BatchStatus))
def test_a_batch_can_be_consumed_exactly_when_its_status_allows_it(
    database: Database, status: BatchStatus
) -> None:
    check_consume_follows_the_table(database, status)


@pytest.mark.parametrize("status", list(BatchStatus))
def test_a_batch_can_be_deleted_exactly_when_its_status_allows_it(
    database: Database, status: BatchStatus
) -> None:
    check_delete_follows_the_table(database, status)


@pytest.mark.parametrize("status", list(BatchStatus))
def test_a_batch_can_be_restored_exactly_when_its_status_allows_it(
    database: Database, status: BatchStatus
) -> None:
    check_restore_follows_the_table(database, status)


@pytest.mark.parametrize("status", [s for s in BatchStatus if not can_consume(s)])
def test_a_refused_consume_says_why_in_the_tables_words(
    database: Database, status: BatchStatus
) -> None:
    batch = batch_in(database, status)
    with pytest.raises(RuleRefused) as refused:
        consume(database, batch.code, "0.001", actor=ANN, now=NOW)
    assert f"Batch {batch.code} {ALLOWANCES[status].why_not_consume}" in str(refused.value)
