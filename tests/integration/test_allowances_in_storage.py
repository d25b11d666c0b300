"""The database's guards agree with domain.allowances on both databases, and a code taken
by another PC is refused by the database itself as a DuplicateCode.

The stock is made at the real time (live_now): PostgreSQL's guard uses the server's clock,
not the time a test passes in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import DuplicateCode
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.queries import get_batch
from tests.unit.services.stock import BOB, NOW, code, live_now, register
from tests.unit.services.test_what_each_status_allows import (
    check_consume_follows_the_table,
    check_delete_follows_the_table,
    check_restore_follows_the_table,
)


@pytest.mark.parametrize("status", list(BatchStatus))
def test_the_consume_guard_allows_exactly_the_consumable_statuses(
    database: Database, status: BatchStatus
) -> None:
    check_consume_follows_the_table(database, status, now=live_now())


@pytest.mark.parametrize("status", list(BatchStatus))
def test_the_delete_guard_follows_the_table(database: Database, status: BatchStatus) -> None:
    check_delete_follows_the_table(database, status, now=live_now())


@pytest.mark.parametrize("status", list(BatchStatus))
def test_the_restore_guard_follows_the_table(database: Database, status: BatchStatus) -> None:
    check_restore_follows_the_table(database, status, now=live_now())


def test_a_code_registered_by_another_pc_meanwhile_is_a_duplicate(database: Database) -> None:
    """No early check here: the INSERT itself hits the unique code, as when two PCs race."""
    register(database, liters="500", ago=timedelta(hours=1), days=3)
    new = NewBatch(code(1), NOW, 3, NOW + timedelta(days=3), 20_000, None)
    with (
        database.unit_of_work(write=True) as uow,
        pytest.raises(DuplicateCode, match=r"SCH-20251204-0001 is already registered.*500\.000 L"),
    ):
        uow.batches.add(new, BOB.stamp(NOW))
    assert get_batch(database, code(1)).remaining_ml == 500_000
    assert len(list_audit(database)) == 1
