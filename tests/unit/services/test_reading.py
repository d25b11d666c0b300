"""Reading: the planning list, what changed since a PC last looked, batches by order."""

from __future__ import annotations

from datetime import timedelta

from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.changes import batches_changed_since, codes_for_order
from dairy_desktop.services.consume import consume
from dairy_desktop.services.queries import change_token, list_batches, near_expiry
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, NOW, batch_in, code, register


def test_the_planning_list_holds_only_usable_batches_expiring_soon(
    database: FakeDatabase,
) -> None:
    for number, status in enumerate(BatchStatus, 1):
        batch_in(database, status, number)
    listed = near_expiry(database, days=3, now=NOW)
    assert {b.status(NOW, listed.settings.zone) for b in listed.batches} <= {
        BatchStatus.EXPIRES_TODAY,
        BatchStatus.NEAR_EXPIRY,
    }
    assert len(listed.batches) == 2
    assert [b.expires_at for b in listed.batches] == sorted(b.expires_at for b in listed.batches)


def test_the_listing_leaves_out_deleted_batches_unless_asked(database: FakeDatabase) -> None:
    batch_in(database, BatchStatus.FRESH, 1)
    batch_in(database, BatchStatus.DELETED, 2)
    assert [b.code for b in list_batches(database, now=NOW).batches] == [code(1)]
    assert len(list_batches(database, include_deleted=True, now=NOW).batches) == 2


def test_a_pc_learns_exactly_which_batches_changed_since_its_token(
    database: FakeDatabase,
) -> None:
    register(database, 1, ago=timedelta(hours=1), days=5)
    register(database, 2, ago=timedelta(hours=1), days=5)
    token, _ = change_token(database)
    assert batches_changed_since(database, token) == (token, [])
    consume(database, code(2), "1", actor=ANN, now=NOW)
    newer, changed = batches_changed_since(database, token)
    assert newer > token
    assert [(b.code, b.version) for b in changed] == [(code(2), 2)]


def test_batches_are_found_by_the_start_of_an_order_id_in_any_case(
    database: FakeDatabase,
) -> None:
    register(database, 1, ago=timedelta(hours=1), days=5)
    register(database, 2, ago=timedelta(hours=1), days=5)
    consume(database, code(1), "1", actor=ANN, order_id="ORDER-20251204-0001", now=NOW)
    consume(database, code(2), "1", actor=ANN, order_id="OTHER-20251204-0001", now=NOW)
    assert codes_for_order(database, " order-2025") == {code(1)}
    assert codes_for_order(database, "OR") == set()  # too short to mean anything
    assert codes_for_order(database, "2025") == set()  # order ids start with letters
