"""`consume_for_order` on both databases: several batches in one transaction, all or
nothing; a plan that no longer holds is refused with the new one; short stock is refused
with the shortfall; a request id sent again replays every line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.errors import (
    InvalidInput,
    NotEnoughStock,
    NotFound,
    PlanNoLongerHolds,
)
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.orders_consume import consume_for_order
from dairy_desktop.services.orders_pick import OrderPick, pick_for_order
from dairy_desktop.services.queries import get_batch
from tests.integration.orders_stock import ORDER, actor, batch_expiring, code, now, state


def _three_batches(database: Database) -> None:
    start = now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 2, "50", start=start, expires_in_days=2)
    batch_expiring(database, 3, "100", start=start, expires_in_days=3)


def _seen(pick: OrderPick) -> list[tuple[str, str, int]]:
    """A proposal's lines as a window sends them back: each at the version it showed."""
    return [(line.code, str(line.liters), line.version) for line in pick.lines]


def _remaining(database: Database, *numbers: int) -> list[str]:
    return [str(get_batch(database, code(n)).remaining_liters) for n in numbers]


def test_fefo_takes_the_litres_from_each_batch_in_one_change(database: Database) -> None:
    _three_batches(database)
    consumed = consume_for_order(database, ORDER, "120.5", actor=actor("night-run-7"))
    assert (consumed.order_id, str(consumed.liters), consumed.request_id) == (
        ORDER,
        "120.500",
        "night-run-7",
    )
    assert not consumed.replayed
    assert [(c.batch.code, str(c.event.liters)) for c in consumed.lines] == [
        (code(1), "40.000"),
        (code(2), "50.000"),
        (code(3), "30.500"),
    ]
    assert _remaining(database, 1, 2, 3) == ["0.000", "0.000", "69.500"]
    events = list_audit(database, AuditFilter(action=AuditAction.CONSUME))
    assert sorted((e.batch_code, e.request_id, e.correlation_id, e.order_id) for e in events) == [
        (code(1), "night-run-7:1", "night-run-7", ORDER),
        (code(2), "night-run-7:2", "night-run-7", ORDER),
        (code(3), "night-run-7:3", "night-run-7", ORDER),
    ]
    assert all((e.operator, e.workstation) == ("ann", "PC-1") for e in events)


def test_a_failure_after_the_second_batch_writes_nothing(database: Database) -> None:
    _three_batches(database)
    before = state(database)

    def fail_after(count: int) -> None:
        if count == 2:
            raise RuntimeError("the PC lost power")

    with pytest.raises(RuntimeError, match="lost power"):
        consume_for_order(database, ORDER, "120.5", actor=actor("r-1"), after_line=fail_after)
    assert state(database) == before
    # Nothing of it landed, so the same request id may be sent again and now lands once.
    assert len(consume_for_order(database, ORDER, "120.5", actor=actor("r-1")).lines) == 3
    assert _remaining(database, 1, 2, 3) == ["0.000", "0.000", "69.500"]


def test_a_refused_third_line_rolls_back_the_first_two(database: Database) -> None:
    _three_batches(database)
    batch_expiring(database, 4, "10", start=now(), expires_in_days=4)
    before = state(database)
    lines = [(code(1), "40"), (code(2), "50"), (code(3), "100.001")]
    with pytest.raises(PlanNoLongerHolds) as refused:
        consume_for_order(database, ORDER, "190.001", actor=actor(), lines=lines)
    assert refused.value.exit_code == 3
    assert str(refused.value).startswith(f"Nothing was consumed for {ORDER}: batch {code(3)} ")
    assert "refused its 100.001 L (Cannot take 100.001 L" in str(refused.value)
    assert state(database) == before
    proposal = refused.value.proposal
    assert isinstance(proposal, OrderPick)
    assert [(line.code, str(line.liters)) for line in proposal.lines][-1] == (code(4), "0.001")


def test_a_refused_line_with_the_stock_short_now_says_by_how_much(database: Database) -> None:
    _three_batches(database)
    before = state(database)
    lines = [(code(1), "40"), (code(2), "50"), (code(3), "100.001")]
    with pytest.raises(NotEnoughStock) as refused:
        consume_for_order(database, ORDER, "190.001", actor=actor(), lines=lines)
    assert refused.value.exit_code == 5
    assert f"batch {code(3)} refused its 100.001 L" in str(refused.value)
    assert "(short by 0.001 L)" in str(refused.value)
    assert str(refused.value.proposal.short_by) == "0.001"
    assert state(database) == before


def test_a_batch_expiring_between_pick_and_consume_is_refused_with_a_new_plan(
    database: Database,
) -> None:
    start = now()
    # Expired about a day ago (two days since receipt, a day's shelf life): the pick is
    # made on the test's clock as it read a day and two hours ago, when it was in date.
    batch_expiring(database, 1, "30", start=start, expires_in_days=-1, received_days_ago=2)
    batch_expiring(database, 2, "100", start=start, expires_in_days=2)
    then = start - timedelta(days=1, hours=2)
    pick = pick_for_order(database, ORDER, "50", now=then)
    assert [line.code for line in pick.lines] == [code(1), code(2)]
    before = state(database)
    with pytest.raises(PlanNoLongerHolds) as refused:
        consume_for_order(database, ORDER, "50", actor=actor(), lines=_seen(pick))
    assert "has expired" in str(refused.value)
    assert state(database) == before
    new = refused.value.proposal
    assert isinstance(new, OrderPick)
    assert [(line.code, str(line.liters)) for line in new.lines] == [(code(2), "50.000")]
    assert f"new proposal is {code(2)} 50.000 L" in str(refused.value)
    # FEFO on the clock now never proposes it.
    consume_for_order(database, ORDER, "50", actor=actor())
    assert _remaining(database, 1, 2) == ["30.000", "50.000"]


def test_a_batch_held_between_pick_and_consume_is_refused_with_a_new_plan(
    database: Database,
) -> None:
    _three_batches(database)
    pick = pick_for_order(database, ORDER, "60")
    hold_once(database, code(2), reason="lab query", actor=actor())
    before = state(database)
    with pytest.raises(PlanNoLongerHolds) as refused:
        consume_for_order(database, ORDER, "60", actor=actor(), lines=_seen(pick))
    assert "on hold" in str(refused.value)
    assert state(database) == before
    new = refused.value.proposal
    assert isinstance(new, OrderPick)
    assert [(line.code, str(line.liters)) for line in new.lines] == [
        (code(1), "40.000"),
        (code(3), "20.000"),
    ]


def test_a_batch_changed_since_the_pick_is_refused_though_it_still_has_enough(
    database: Database,
) -> None:
    _three_batches(database)
    pick = pick_for_order(database, ORDER, "45")
    consume(database, code(1), "1", actor=actor())  # another PC, a moment later
    with pytest.raises(PlanNoLongerHolds) as refused:
        consume_for_order(database, ORDER, "45", actor=actor(), lines=_seen(pick))
    assert "changed since it was loaded" in str(refused.value)
    assert _remaining(database, 1, 2) == ["39.000", "50.000"]
    new = refused.value.proposal
    assert [(line.code, str(line.liters)) for line in new.lines] == [
        (code(1), "39.000"),
        (code(2), "6.000"),
    ]


def test_short_stock_is_refused_with_the_shortfall_and_writes_nothing(
    database: Database,
) -> None:
    _three_batches(database)
    before = state(database)
    with pytest.raises(NotEnoughStock) as refused:
        consume_for_order(database, ORDER, "190.5", actor=actor())
    assert refused.value.exit_code == 5
    assert "short by 0.500 L" in str(refused.value)
    assert str(refused.value.proposal.short_by) == "0.500"
    assert len(refused.value.proposal.lines) == 3
    assert state(database) == before


def test_the_same_request_id_replays_every_line_and_changes_nothing(
    database: Database,
) -> None:
    _three_batches(database)
    first = consume_for_order(database, ORDER, "60", actor=actor("shift-2"))
    after = state(database)
    again = consume_for_order(database, ORDER, "60", actor=actor("shift-2"))
    assert again.replayed
    assert state(database) == after
    assert [(c.batch.code, c.event.id, c.batch.remaining_ml) for c in again.lines] == [
        (c.batch.code, c.event.id, c.batch.remaining_ml) for c in first.lines
    ]
    with pytest.raises(InvalidInput, match="already used for consume of other litres"):
        consume_for_order(database, ORDER, "61", actor=actor("shift-2"))
    with pytest.raises(InvalidInput, match="already used for consume"):
        consume_for_order(database, "ORDER-20251204-0009", "60", actor=actor("shift-2"))
    assert state(database) == after


def test_the_chosen_batches_are_taken_as_chosen(database: Database) -> None:
    _three_batches(database)
    lines = [(code(3), "10"), (code(1), "2.5")]
    consumed = consume_for_order(database, ORDER, "12.5", actor=actor("pick-9"), lines=lines)
    assert [(c.batch.code, str(c.event.liters), c.event.request_id) for c in consumed.lines] == [
        (code(3), "10.000", "pick-9:1"),
        (code(1), "2.500", "pick-9:2"),
    ]
    assert _remaining(database, 1, 2, 3) == ["37.500", "50.000", "90.000"]


@pytest.mark.parametrize(
    ("lines", "liters", "words"),
    [
        ([(code(1), "10"), (code(2), "5")], "20", "add up to 15.000 L"),
        ([(code(1), "10"), (code(1), "10")], "20", "named twice"),
        ([(code(1), "-1")], "1", "more than 0"),
        ([("", "1")], "1", "missing"),
        ([], "1", "No batches"),
    ],
)
def test_bad_chosen_lines_are_refused_and_write_nothing(
    database: Database, lines: list[tuple[str, str]], liters: str, words: str
) -> None:
    _three_batches(database)
    before = state(database)
    with pytest.raises(InvalidInput, match=words):
        consume_for_order(database, ORDER, liters, actor=actor(), lines=lines)
    assert state(database) == before


def test_a_chosen_batch_that_does_not_exist_is_not_found(database: Database) -> None:
    _three_batches(database)
    before = state(database)
    lines = [(code(1), "10"), (code(77), "5")]
    with pytest.raises(NotFound, match=code(77)):
        consume_for_order(database, ORDER, "15", actor=actor(), lines=lines)
    assert state(database) == before


def test_a_request_id_too_long_for_its_lines_is_refused(database: Database) -> None:
    _three_batches(database)
    with pytest.raises(InvalidInput, match="at most 60"):
        consume_for_order(database, ORDER, "1", actor=actor("x" * 61))
    assert consume_for_order(database, ORDER, "1", actor=actor("x" * 60)).lines
