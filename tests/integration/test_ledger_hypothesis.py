"""Reversal arithmetic, by hypothesis: random sequences of consume, dispose and reverse on
one batch, on both databases, against a model of what the rules allow.

After every step: the ledger initial − Σ consume − Σ dispose + Σ reverse = remaining holds
over the batch's audit events, the remaining volume is the model's and never below zero;
a refused step (too much, nothing left, an event reversed already) changed nothing at all.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.errors import RuleRefused
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.reverse import reverse_once
from tests.integration.helpers import ANN, register

_codes = itertools.count()

# Small volumes, so that sequences run a batch dry and refusals are common.
INITIAL_ML = st.integers(min_value=1, max_value=3_000)
AMOUNT_ML = st.integers(min_value=1, max_value=1_500)
STEP = st.one_of(
    st.tuples(st.just("consume"), AMOUNT_ML),
    st.tuples(st.just("dispose"), st.one_of(st.none(), AMOUNT_ML)),  # None: all
    # Which of the changes so far to reverse (modulo their number); reversed ones too.
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=20)),
)


@dataclass
class Model:
    """What the rules say the batch holds, and which of its changes can still be undone."""

    remaining_ml: int
    takes: list[tuple[int, int]] = field(default_factory=list)  # (event id, mL)
    reversed_ids: set[int] = field(default_factory=set)


def _next_code() -> str:
    n = next(_codes)
    return f"HYP-{20250101 + n // 10_000:08d}-{n % 10_000:04d}"


def _state(database: Database, code: str) -> tuple[int, int, list[AuditEvent]]:
    batch = get_batch(database, code)
    return batch.remaining_ml, batch.version, list_audit(database, AuditFilter(batch_code=code))


def _ledger(initial_ml: int, events: list[AuditEvent]) -> int:
    sign = {AuditAction.CONSUME: -1, AuditAction.DISPOSE: -1, AuditAction.REVERSE: 1}
    return initial_ml + sum(sign.get(e.action, 0) * (e.liters_ml or 0) for e in events)


def _step(database: Database, code: str, model: Model, kind: str, value: int | None) -> None:
    """Send one step and, if it went through, check the rules allow it and apply it to the
    model. Refusals propagate, the model untouched."""
    actor = ANN.for_action()
    if kind == "reverse":
        if not model.takes:
            return  # nothing to reverse yet: the history offers nothing to click
        event_id, taken = model.takes[(value or 0) % len(model.takes)]
        reverse_once(database, event_id, reason="entered by mistake", actor=actor)
        assert event_id not in model.reversed_ids, f"event {event_id} was reversed twice"
        model.reversed_ids.add(event_id)
        model.remaining_ml += taken
        return
    amount = model.remaining_ml if value is None else value
    if kind == "consume":
        changed = consume_once(database, code, from_milliliters(amount), actor=actor)
    else:
        liters = None if value is None else from_milliliters(value)
        changed = dispose_once(database, code, liters, reason_code="spillage", actor=actor)
    assert 0 < amount <= model.remaining_ml, f"{kind} of {amount} mL went through"
    assert changed.event.liters_ml == amount
    model.takes.append((changed.event.id, amount))
    model.remaining_ml -= amount


def _refused_as_expected(model: Model, kind: str, value: int | None) -> bool:
    if kind == "consume":
        return value is not None and value > model.remaining_ml
    if kind == "dispose":
        amount = model.remaining_ml if value is None else value
        return not 0 < amount <= model.remaining_ml
    event_id, _ = model.takes[(value or 0) % len(model.takes)]
    return event_id in model.reversed_ids


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial_ml=INITIAL_ML, steps=st.lists(STEP, max_size=12))
def test_consume_dispose_and_reverse_keep_the_ledger_true(
    database: Database, initial_ml: int, steps: list[tuple[str, int | None]]
) -> None:
    code = _next_code()
    register(database, code, str(from_milliliters(initial_ml)))
    model = Model(initial_ml)
    for kind, value in steps:
        before = _state(database, code)
        try:
            _step(database, code, model, kind, value)
        except RuleRefused:
            event(f"{kind} refused")
            assert _refused_as_expected(model, kind, value), f"{kind} {value} was refused"
            assert _state(database, code) == before, "a refusal changed something"
            continue
        remaining_ml, _, events = _state(database, code)
        assert remaining_ml == model.remaining_ml
        assert remaining_ml >= 0
        assert _ledger(initial_ml, events) == remaining_ml
