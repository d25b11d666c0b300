"""FEFO: first expiring first, ties by received time then code; the litres split across the
batches in that order; and the warning when a later-expiring batch is chosen over an
earlier one that has enough."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairy_desktop.domain.fefo import (
    Candidate,
    earlier_batch_with_enough,
    fefo_order,
    split_fefo,
)

T0 = datetime(2025, 12, 4, 6, 0, tzinfo=UTC)


def batch(
    code: str, ml: int, *, expires_h: int = 48, received_h: int = 0, version: int = 1
) -> Candidate:
    return Candidate(
        code, ml, T0 + timedelta(hours=expires_h), T0 + timedelta(hours=received_h), version
    )


def test_first_expiring_comes_first_whatever_the_order_given() -> None:
    late, early, middle = batch("C", 1, expires_h=72), batch("A", 1, expires_h=24), batch("B", 1)
    assert [c.code for c in fefo_order([late, early, middle])] == ["A", "B", "C"]


def test_the_same_expiry_goes_by_received_time_then_by_code() -> None:
    received_later = batch("AAA", 1, received_h=2)
    received_first_b = batch("BBB", 1, received_h=1)
    received_first_a = batch("ZZZ", 1, received_h=1)
    tie_by_code = batch("CCC", 1, received_h=1)
    order = fefo_order([received_later, received_first_a, tie_by_code, received_first_b])
    assert [c.code for c in order] == ["BBB", "CCC", "ZZZ", "AAA"]


def test_one_batch_with_enough_gives_one_line_at_the_version_seen() -> None:
    split = split_fefo(5_000, [batch("B", 9_000, version=7), batch("A", 6_000, expires_h=72)])
    assert [(line.code, line.ml, line.version) for line in split.lines] == [("B", 5_000, 7)]
    assert split.lines[0].expires_at == T0 + timedelta(hours=48)
    assert (split.short_by_ml, split.covered) == (0, True)
    assert str(split.lines[0].liters) == "5.000"


def test_the_litres_split_across_batches_in_fefo_order() -> None:
    split = split_fefo(
        10_500,
        [batch("C", 9_000, expires_h=96), batch("A", 4_000, expires_h=24), batch("B", 5_000)],
    )
    assert [(line.code, line.ml) for line in split.lines] == [
        ("A", 4_000),
        ("B", 5_000),
        ("C", 1_500),
    ]
    assert split.covered


def test_batches_with_nothing_available_are_passed_over() -> None:
    split = split_fefo(3_000, [batch("A", 0, expires_h=1), batch("B", -5), batch("C", 3_000)])
    assert [(line.code, line.ml) for line in split.lines] == [("C", 3_000)]


def test_short_stock_takes_all_there_is_and_says_by_how_much() -> None:
    split = split_fefo(10_000, [batch("A", 2_000), batch("B", 3_001)])
    assert [(line.code, line.ml) for line in split.lines] == [("A", 2_000), ("B", 3_001)]
    assert (split.short_by_ml, split.covered) == (4_999, False)
    assert split_fefo(1, []).short_by_ml == 1


def test_the_orders_own_reservations_come_first_then_fefo_over_the_rest() -> None:
    early = batch("A", 10_000, expires_h=12)
    mine_late = Candidate("C", 8_000, T0 + timedelta(hours=96), T0, 3, own_ml=6_000)
    mine_middle = Candidate("B", 2_000, T0 + timedelta(hours=48), T0, 2, own_ml=2_000)
    stock = [mine_late, early, mine_middle]
    # All 8 L reserved for the order are taken, and nothing else.
    assert [(ln.code, ln.ml) for ln in split_fefo(8_000, stock).lines] == [
        ("B", 2_000),
        ("C", 6_000),
    ]
    # Its 8 L first, then the earliest free milk, then what is left on its own batch.
    assert [(ln.code, ln.ml) for ln in split_fefo(19_000, stock).lines] == [
        ("A", 10_000),
        ("B", 2_000),
        ("C", 7_000),
    ]
    # Less than it reserved: the first-expiring of its reservations first.
    assert [(ln.code, ln.ml) for ln in split_fefo(3_000, stock).lines] == [
        ("B", 2_000),
        ("C", 1_000),
    ]


def test_a_pick_of_nothing_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="more than nothing"):
        split_fefo(0, [batch("A", 1)])


candidates = st.lists(
    st.builds(
        batch,
        code=st.text("ABCDEFGH", min_size=1, max_size=3),
        ml=st.integers(-10, 50_000),
        expires_h=st.integers(1, 6),
        received_h=st.integers(0, 3),
    ),
    max_size=8,
    unique_by=lambda c: c.code,
)


@given(st.integers(1, 60_000), candidates, st.lists(st.integers(0, 20_000), min_size=8, max_size=8))
def test_own_reservations_are_drawn_before_any_free_litres(
    wanted: int, stock: list[Candidate], own: list[int]
) -> None:
    mine = [
        Candidate(
            c.code,
            c.available_ml,
            c.expires_at,
            c.received_at,
            c.version,
            min(o, max(c.available_ml, 0)),
        )
        for c, o in zip(stock, own, strict=False)
    ]
    split = split_fefo(wanted, mine)
    by_code = {c.code: c for c in mine}
    own_total = sum(c.own_ml for c in mine)
    taken_own = sum(min(line.ml, by_code[line.code].own_ml) for line in split.lines)
    assert taken_own == min(wanted, own_total)
    assert sum(line.ml for line in split.lines) + split.short_by_ml == wanted
    assert all(0 < line.ml <= by_code[line.code].available_ml for line in split.lines)
    assert [line.code for line in split.lines] == [
        c.code for c in fefo_order(mine) if c.code in {line.code for line in split.lines}
    ]


@given(st.integers(1, 200_000), candidates)
def test_a_split_takes_exactly_what_is_asked_or_all_there_is(
    wanted: int, stock: list[Candidate]
) -> None:
    split = split_fefo(wanted, stock)
    available = sum(max(c.available_ml, 0) for c in stock)
    taken = sum(line.ml for line in split.lines)
    assert taken + split.short_by_ml == wanted
    assert split.short_by_ml == max(wanted - available, 0)
    by_code = {c.code: c for c in stock}
    assert all(0 < line.ml <= by_code[line.code].available_ml for line in split.lines)
    # Only the last line may leave litres in its batch: earlier ones are emptied first.
    assert all(line.ml == by_code[line.code].available_ml for line in split.lines[:-1])
    order = [c.code for c in fefo_order(stock) if c.available_ml > 0]
    assert [line.code for line in split.lines] == order[: len(split.lines)]


def test_choosing_a_later_batch_over_an_earlier_one_with_enough_is_flagged() -> None:
    stock = [
        batch("LATE", 9_000, expires_h=96),
        batch("SMALL", 1_000, expires_h=12),
        batch("EARLY", 6_000, expires_h=24),
        batch("SAME", 9_000, expires_h=96, received_h=-1),
    ]
    # The small one expires first but cannot cover 5 L alone; for 0.5 L it is the one.
    assert earlier_batch_with_enough("LATE", 5_000, stock) == stock[2]
    assert earlier_batch_with_enough("LATE", 500, stock) == stock[1]
    assert earlier_batch_with_enough("LATE", 7_000, stock) is None
    # Same expiry is not earlier; the first-expiring batch has nothing before it.
    assert earlier_batch_with_enough("SAME", 100, stock[::3]) is None
    assert earlier_batch_with_enough("SMALL", 100, stock) is None
    assert earlier_batch_with_enough("NOT-A-CANDIDATE", 100, stock) is None
    # Litres reserved for the order on the chosen batch are its to take: no warning.
    reserved = Candidate("LATE", 9_000, T0 + timedelta(hours=96), T0, 1, own_ml=5_000)
    assert earlier_batch_with_enough("LATE", 5_000, [reserved, *stock[1:]]) is None
    assert earlier_batch_with_enough("LATE", 5_001, [reserved, *stock[1:]]) == stock[2]
