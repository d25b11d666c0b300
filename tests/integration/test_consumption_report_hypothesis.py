"""The report's arithmetic, by hypothesis, on both databases: random mixes of consumes (for
two orders or none, by three operators), write-offs and reversals of either. For every
grouping the report agrees with the audit trail, each row's net is consumed minus reversed,
and the total moves by exactly the litres the mix consumed and did not reverse."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dairy_desktop.db.database import Database
from dairy_desktop.domain.consumption import Grouping
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.consumption_report import consumption_report
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.reverse import reverse_once
from tests.integration.consumption_stock import expected_totals
from tests.integration.helpers import register

_codes = itertools.count()
ORDERS = ("ORDER-20251204-0001", "ORDER-20251204-0002", None)
ACTORS = (Actor("ann", "PC-1"), Actor("bob", "PC-2"), Actor("=cmd|' /C calc'!A0", "PC-3"))
AMOUNT_ML = st.integers(min_value=1, max_value=20_000)
STEP = st.one_of(
    st.tuples(st.just("consume"), AMOUNT_ML, st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.just("dispose"), AMOUNT_ML, st.just(0), st.integers(0, 2)),
    # Which earlier consume or write-off to reverse (modulo their number), by whom.
    st.tuples(st.just("reverse"), st.integers(0, 20), st.just(0), st.integers(0, 2)),
)


def _run(database: Database, code: str, steps: list[tuple[str, int, int, int]]) -> int:
    """Send the steps; return the litres (mL) consumed and not reversed."""
    takes: list[tuple[int, int, bool]] = []  # (event id, mL, a consume?)
    reversed_ids: set[int] = set()
    for kind, value, order, who in steps:
        actor = ACTORS[who].for_action()
        if kind == "reverse":
            open_takes = [t for t in takes if t[0] not in reversed_ids]
            if open_takes:
                event_id = open_takes[value % len(open_takes)][0]
                reverse_once(database, event_id, reason="entered by mistake", actor=actor)
                reversed_ids.add(event_id)
            continue
        liters = from_milliliters(value)
        if kind == "consume":
            changed = consume_once(database, code, liters, order_id=ORDERS[order], actor=actor)
        else:
            changed = dispose_once(database, code, liters, reason_code="spillage", actor=actor)
        takes.append((changed.event.id, value, kind == "consume"))
    return sum(ml for event_id, ml, consume in takes if consume and event_id not in reversed_ids)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=10))
def test_net_is_consumed_minus_reversed_for_any_mix(
    database: Database, steps: list[tuple[str, int, int, int]]
) -> None:
    n = next(_codes)
    code = f"HYP-{20250101 + n // 10_000:08d}-{n % 10_000:04d}"
    register(database, code, "1000")  # more than ten steps of at most 20 L can take
    before = consumption_report(database).total
    net_ml = _run(database, code, steps)
    for by in Grouping:
        report = consumption_report(database, by=by)
        for row in report.rows:
            assert row.totals.net_ml == row.totals.consumed_ml - row.totals.reversed_ml >= 0
        groups, total = expected_totals(database, by)
        assert {row.key: row.totals for row in report.rows} == groups
        assert report.total == total
    assert report.total.net_ml - before.net_ml == net_ml
