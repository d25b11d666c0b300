"""`pick_for_order` on both databases: FEFO over the consumable batches only, ties broken
by received time then code, the litres split, the shortfall told; nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.services.consume import consume
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.orders_pick import candidates_for_order, pick_for_order
from tests.integration.helpers import register
from tests.integration.lifecycle_stock import pending, recalled
from tests.integration.orders_stock import ORDER, actor, batch_expiring, code, now, state


def _lines(pick: object) -> list[tuple[str, str]]:
    return [(line.code, str(line.liters)) for line in pick.lines]  # type: ignore[attr-defined]


def test_fefo_splits_across_batches_first_expiring_first(database: Database) -> None:
    start = now()
    batch_expiring(database, 3, "100", start=start, expires_in_days=5)
    batch_expiring(database, 1, "40", start=start, expires_in_days=2)
    batch_expiring(database, 2, "50", start=start, expires_in_days=3)
    before = state(database)
    pick = pick_for_order(database, ORDER, "120.5")
    assert _lines(pick) == [(code(1), "40.000"), (code(2), "50.000"), (code(3), "30.500")]
    assert [line.version for line in pick.lines] == [1, 1, 1]
    assert (pick.order_id, str(pick.liters), str(pick.short_by), pick.covered) == (
        ORDER,
        "120.500",
        "0.000",
        True,
    )
    assert state(database) == before


def test_ties_on_expiry_go_by_received_time_then_by_code(database: Database) -> None:
    start = now()
    # All three expire at the same instant; 0009 was received a day earlier than the rest.
    batch_expiring(database, 7, "10", start=start, expires_in_days=3)
    batch_expiring(database, 9, "10", start=start, expires_in_days=3, received_days_ago=1)
    batch_expiring(database, 5, "10", start=start, expires_in_days=3)
    pick = pick_for_order(database, ORDER, "25")
    assert len({line.expires_at for line in pick.lines}) == 1
    assert _lines(pick) == [(code(9), "10.000"), (code(5), "10.000"), (code(7), "5.000")]


def test_only_consumable_batches_are_proposed(database: Database) -> None:
    start = now()
    batch_expiring(database, 1, "10", start=start, expires_in_days=1)
    hold_once(database, code(1), reason="lab query", actor=actor())
    batch_expiring(database, 2, "10", start=start, expires_in_days=1)
    delete_batch(database, code(2), reason="sour", actor=actor())
    batch_expiring(database, 3, "10", start=start, expires_in_days=1)
    consume(database, code(3), "10", actor=actor())  # empty
    batch_expiring(database, 6, "10", start=start, expires_in_days=2, received_days_ago=9)
    batch_expiring(database, 8, "7", start=start, expires_in_days=4)
    # These two turn the QA gate on: batches registered from here on await release.
    recalled(database, code(4))
    pending(database, code(5))
    pick = pick_for_order(database, ORDER, "17")
    assert _lines(pick) == [(code(6), "10.000"), (code(8), "7.000")]
    assert [c.code for c in candidates_for_order(database, ORDER)] == [code(6), code(8)]


def test_an_expired_batch_is_proposed_only_before_it_expires(database: Database) -> None:
    start = now()
    # Received two days ago with a day's shelf life: it expired about a day ago.
    batch_expiring(database, 1, "10", start=start, expires_in_days=-1, received_days_ago=2)
    batch_expiring(database, 2, "10", start=start, expires_in_days=3)
    day_before = start - timedelta(days=1, hours=2)
    assert _lines(pick_for_order(database, ORDER, "15", now=day_before)) == [
        (code(1), "10.000"),
        (code(2), "5.000"),
    ]
    assert _lines(pick_for_order(database, ORDER, "15")) == [(code(2), "10.000")]


def test_short_stock_proposes_all_there_is_and_the_shortfall(database: Database) -> None:
    start = now()
    batch_expiring(database, 1, "10", start=start, expires_in_days=1)
    batch_expiring(database, 2, "2.25", start=start, expires_in_days=2)
    pick = pick_for_order(database, ORDER, "20")
    assert _lines(pick) == [(code(1), "10.000"), (code(2), "2.250")]
    assert (str(pick.short_by), pick.covered) == ("7.750", False)
    hold_once(database, code(1), reason="lab query", actor=actor())
    hold_once(database, code(2), reason="lab query", actor=actor())
    nothing = pick_for_order(database, ORDER, "1")
    assert (nothing.lines, str(nothing.short_by)) == ((), "1.000")


@pytest.mark.parametrize(
    ("order", "liters", "field"),
    [
        ("", "1", "order"),
        ("order-1", "1", "order"),
        (ORDER, "-1", "liters"),
        (ORDER, "0", "liters"),
        (ORDER, "1,5", "liters"),
        (ORDER, "0.0001", "liters"),
    ],
)
def test_bad_input_is_refused_before_reading(
    database: Database, order: str, liters: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        pick_for_order(database, order, liters)
    assert refused.value.field == field


def test_a_pick_reaches_batches_however_far_their_expiry(database: Database) -> None:
    # The plan reads a window of expiries at a time (6 h, then 24 h, 4 days, ...): a pick
    # that needs the last batch reads them all, and one the first covers reads just that.
    start = now()
    batch_expiring(database, 3, "10", start=start, expires_in_days=29)
    batch_expiring(database, 2, "10", start=start, expires_in_days=3)
    register(database, code(1), "10", days=1, received=start - timedelta(hours=22))
    assert _lines(pick_for_order(database, ORDER, "25")) == [
        (code(1), "10.000"),
        (code(2), "10.000"),
        (code(3), "5.000"),
    ]
    assert _lines(pick_for_order(database, ORDER, "10")) == [(code(1), "10.000")]
    assert str(pick_for_order(database, ORDER, "31").short_by) == "1.000"
