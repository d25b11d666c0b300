"""Reservations at the storage and service level, on both databases: the reserve guard, an
order drawing on its own reservation first, other orders' litres refused with a message
that names them and the data untouched, write-offs kept off reserved litres, unreserve,
and a request id sent twice changing nothing.

tests/unit/services/test_fake_reservations_storage.py runs these same tests on the
in-memory database, so the services' unit tests stand on the same rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Refused
from dairy_desktop.domain.errors import (
    BatchExpired,
    InvalidInput,
    NotEnoughLeft,
    RuleRefused,
)
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.ports import Database
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.reservations import (
    list_reservations,
    reserve_once,
    unreserve_once,
)
from dairy_desktop.services.serialize import AUDIT_KEYS, batch_to_dict, event_to_dict
from tests.integration.test_lifecycle_storage import (
    CODE,
    change,
    current,
    events,
    refused,
    stamp,
)

OTHER = "SCH-20251204-0002"
A, B, C = "ORDER-20251204-0001", "ORDER-20251204-0002", "ORDER-20251204-0003"
DAY = date(2025, 12, 6)
ANN = Actor(operator="ann", workstation="PC-1")


def _register(
    database: Database,
    code: str = CODE,
    liters: str = "100",
    *,
    days: int = 5,
    received: datetime | None = None,
) -> None:
    received = received or datetime.now(UTC) - timedelta(hours=1)
    register_batch(
        database,
        code=code,
        liters=liters,
        shelf_life_days=days,
        received_at=received,
        actor=ANN,
    )


def _reserve(database: Database, liters: str, order: str, day: date = DAY) -> None:
    reserve_once(database, CODE, liters, order_id=order, planned_for=day, actor=ANN)


def _snapshot(database: Database) -> tuple[object, ...]:
    with database.unit_of_work() as uow:
        return (uow.batches.by_expiry(), uow.audit.last_id(), uow.reservations.all())


def test_a_reserve_sets_litres_aside_bumps_the_version_and_is_audited(
    database: Database,
) -> None:
    _register(database)
    outcome = reserve_once(database, CODE, "30.5", order_id=A, planned_for="2025-12-06", actor=ANN)
    batch = current(database)
    assert (batch.remaining_ml, batch.reserved_ml, batch.available_ml) == (100_000, 30_500, 69_500)
    assert batch.version == 2 == outcome.batch.version
    assert outcome.batch.reserved_ml == 30_500
    event = events(database)[-1]
    assert (event.action, event.liters_ml, event.order_id, event.reserved_for) == (
        AuditAction.RESERVE,
        30_500,
        A,
        DAY,
    )
    assert event.remaining_after_ml == 100_000
    [held] = list_reservations(database)
    assert (held.order_id, held.batch_code, held.reserved_ml, held.planned_for) == (
        A,
        CODE,
        30_500,
        DAY,
    )
    assert (held.operator, held.workstation, str(held.liters)) == ("ann", "PC-1", "30.500")


def test_reserving_again_for_the_same_order_adds_and_moves_the_planned_day(
    database: Database,
) -> None:
    _register(database)
    _reserve(database, "10", A)
    _reserve(database, "5", A, date(2025, 12, 7))
    [held] = list_reservations(database, A)
    assert (held.reserved_ml, held.planned_for) == (15_000, date(2025, 12, 7))
    assert current(database).reserved_ml == 15_000


def test_a_reserve_beyond_what_is_free_is_refused_naming_the_orders_and_changes_nothing(
    database: Database,
) -> None:
    _register(database)
    _reserve(database, "40", A)
    _reserve(database, "20", B)
    before = _snapshot(database)
    with pytest.raises(NotEnoughLeft) as refusal:
        _reserve(database, "40.001", C)
    assert refusal.value.exit_code == 5
    assert str(refusal.value) == (
        f"Cannot reserve 40.001 L of batch {CODE} for {C}: 60.000 L of the 100.000 L left "
        f"are reserved for {A}, {B} (40.000 L available). Nothing was reserved."
    )
    assert _snapshot(database) == before
    _reserve(database, "40", C)  # exactly what is free
    assert current(database).available_ml == 0


def test_an_order_cannot_reserve_its_own_litres_twice(database: Database) -> None:
    _register(database, liters="10")
    _reserve(database, "10", A)
    with pytest.raises(NotEnoughLeft, match=r"10\.000 L of the 10\.000 L left are reserved"):
        _reserve(database, "1", A)


def test_a_held_or_expired_batch_cannot_be_reserved(database: Database) -> None:
    _register(database)
    _register(database, OTHER, days=1, received=datetime.now(UTC) - timedelta(days=2))
    hold_once(database, CODE, reason="smell", actor=ANN)
    before = _snapshot(database)
    with pytest.raises(RuleRefused, match="is on hold; its litres cannot be reserved until"):
        _reserve(database, "1", A)
    with pytest.raises(BatchExpired, match="has expired"):
        reserve_once(database, OTHER, "1", order_id=A, planned_for=DAY, actor=ANN)
    assert _snapshot(database) == before


@pytest.mark.parametrize(
    ("order", "day", "field"),
    [("", DAY, "order"), ("ORDER-1", DAY, "order"), (A, "6.12.2025", "planned_for")],
)
def test_a_reserve_needs_an_order_and_a_day(
    database: Database, order: str, day: object, field: str
) -> None:
    _register(database)
    before = _snapshot(database)
    with pytest.raises(InvalidInput) as refusal:
        reserve_once(database, CODE, "1", order_id=order, planned_for=day, actor=ANN)  # type: ignore[arg-type]
    assert refusal.value.field == field
    assert _snapshot(database) == before


def test_a_consume_for_the_order_draws_on_its_own_reservation_first(
    database: Database,
) -> None:
    _register(database)
    _reserve(database, "30", A)
    _reserve(database, "50", B)
    consume_once(database, CODE, "10", order_id=A, actor=ANN)
    [mine] = list_reservations(database, A)
    assert mine.reserved_ml == 20_000
    assert (current(database).remaining_ml, current(database).reserved_ml) == (90_000, 70_000)
    # 20 of its own and 10 of the 20 free: its reservation is gone, B's stands whole.
    consume_once(database, CODE, "30", order_id=A, actor=ANN)
    assert list_reservations(database, A) == []
    [theirs] = list_reservations(database, B)
    assert theirs.reserved_ml == 50_000
    batch = current(database)
    assert (batch.remaining_ml, batch.reserved_ml, batch.available_ml) == (60_000, 50_000, 10_000)


def test_another_orders_reserved_litres_are_refused_with_their_names(database: Database) -> None:
    _register(database, liters="60")
    _reserve(database, "20", A)
    _reserve(database, "10", B)
    before = _snapshot(database)
    with pytest.raises(RuleRefused) as refusal:
        consume_once(database, CODE, "50", actor=ANN)
    assert not isinstance(refusal.value, NotEnoughLeft)
    assert refusal.value.exit_code == 5
    assert str(refusal.value) == (
        f"Cannot take 50.000 L from batch {CODE}: 30.000 L of the 60.000 L left are reserved "
        f"for {A}, {B} (30.000 L available). Nothing was consumed."
    )
    # For B its own 10 are available: only A's 20 stand in the way.
    with pytest.raises(RuleRefused) as for_b:
        consume_once(database, CODE, "41", order_id=B, actor=ANN)
    assert str(for_b.value) == (
        f"Cannot take 41.000 L from batch {CODE}: 20.000 L of the 60.000 L left are reserved "
        f"for {A} (40.000 L available). Nothing was consumed."
    )
    assert _snapshot(database) == before
    consume_once(database, CODE, "40", order_id=B, actor=ANN)
    assert current(database).available_ml == 0


def test_more_than_is_left_is_still_not_enough_left(database: Database) -> None:
    _register(database, liters="10")
    _reserve(database, "5", A)
    with pytest.raises(NotEnoughLeft, match=r"only 10\.000 L remain"):
        consume_once(database, CODE, "11", order_id=A, actor=ANN)


def test_a_write_off_never_takes_reserved_litres(database: Database) -> None:
    _register(database)
    _reserve(database, "70", A)
    before = _snapshot(database)
    with pytest.raises(RuleRefused) as refusal:
        dispose_once(database, CODE, "31", reason_code="spillage", actor=ANN)
    assert str(refusal.value) == (
        f"Cannot dispose of 31.000 L from batch {CODE}: 70.000 L of the 100.000 L left are "
        f"reserved for {A} (30.000 L available); a write-off never takes an order's litres: "
        f"unreserve first (orders unreserve {A}). Nothing was changed."
    )
    with pytest.raises(RuleRefused, match=f"all that remain .* reserved for {A}"):
        dispose_once(database, CODE, None, reason_code="spillage", actor=ANN)
    assert _snapshot(database) == before
    dispose_once(database, CODE, "30", reason_code="spillage", actor=ANN)
    assert (current(database).remaining_ml, current(database).reserved_ml) == (70_000, 70_000)


def test_unreserve_lets_the_whole_reservation_go_even_on_hold(database: Database) -> None:
    _register(database)
    _reserve(database, "30", A)
    _reserve(database, "5", A)
    _reserve(database, "10", B)
    hold_once(database, CODE, reason="smell", actor=ANN)
    outcome = unreserve_once(database, CODE, order_id=A, actor=ANN)
    assert (outcome.event.action, outcome.event.liters_ml, outcome.event.order_id) == (
        AuditAction.UNRESERVE,
        35_000,
        A,
    )
    assert outcome.event.reserved_for is None
    assert current(database).reserved_ml == 10_000
    assert [r.order_id for r in list_reservations(database)] == [B]


def test_unreserve_without_a_reservation_is_refused_and_changes_nothing(
    database: Database,
) -> None:
    _register(database)
    _reserve(database, "30", B)
    before = _snapshot(database)
    with pytest.raises(RuleRefused) as refusal:
        unreserve_once(database, CODE, order_id=A, actor=ANN)
    assert str(refusal.value) == (
        f"Order {A} holds no reservation on batch {CODE}; there is nothing to let go. "
        "Nothing was changed."
    )
    assert _snapshot(database) == before


def test_a_reserve_sent_twice_reserves_once(database: Database) -> None:
    _register(database)
    actor = ANN.for_action("reserve-once-1")
    first = reserve_once(database, CODE, "30", order_id=A, planned_for=DAY, actor=actor)
    again = reserve_once(database, CODE, "30", order_id=A, planned_for=DAY, actor=actor)
    assert (first.replayed, again.replayed) == (False, True)
    assert again.event.id == first.event.id
    assert current(database).reserved_ml == 30_000
    assert [r.reserved_ml for r in list_reservations(database)] == [30_000]
    # The same id for another reserve is no replay of it.
    with pytest.raises(InvalidInput, match="already used for reserve"):
        reserve_once(database, CODE, "31", order_id=A, planned_for=DAY, actor=actor)


def test_an_unreserve_sent_twice_releases_once(database: Database) -> None:
    _register(database)
    _reserve(database, "30", A)
    actor = ANN.for_action("unreserve-once-1")
    first = unreserve_once(database, CODE, order_id=A, actor=actor)
    _reserve(database, "5", A)
    again = unreserve_once(database, CODE, order_id=A, actor=actor)
    assert again.replayed
    assert again.event.id == first.event.id
    assert current(database).reserved_ml == 5_000


def test_the_storage_refuses_a_reserve_of_nothing(database: Database) -> None:
    _register(database)
    refused(
        database,
        lambda c: c.reserve(
            CODE, 0, order_id=A, planned_for=DAY, expected_version=None, stamp=stamp()
        ),
    )
    outcome = change(
        database,
        lambda c: c.reserve(
            CODE, 1, order_id=A, planned_for=DAY, expected_version=7, stamp=stamp()
        ),
    )
    assert isinstance(outcome, Refused)  # a stale version changes nothing


def test_reservations_are_listed_first_expiring_batch_first(database: Database) -> None:
    _register(database, days=5)
    _register(database, OTHER, days=3)
    _reserve(database, "1", B)
    _reserve(database, "1", A)
    reserve_once(database, OTHER, "2", order_id=B, planned_for=DAY, actor=ANN)
    listed = list_reservations(database)
    assert [(r.batch_code, r.order_id) for r in listed] == [(OTHER, B), (CODE, A), (CODE, B)]
    assert all(isinstance(r, Reservation) for r in listed)
    with database.unit_of_work() as uow:
        assert [r.order_id for r in uow.reservations.for_batch(CODE)] == [A, B]
        assert [r.batch_code for r in uow.reservations.for_order(B)] == [OTHER, CODE]


def test_json_gains_reserved_and_available_litres_and_the_planned_day(
    database: Database,
) -> None:
    _register(database)
    outcome = reserve_once(database, CODE, "30", order_id=A, planned_for=DAY, actor=ANN)
    batch = current(database)
    item = batch_to_dict(batch, batch.status(datetime.now(UTC), UTC))
    assert list(item)[-2:] == ["reserved_liters", "available_liters"]
    assert (item["reserved_liters"], item["available_liters"]) == ("30.000", "70.000")
    event = event_to_dict(outcome.event)
    assert list(event) == list(AUDIT_KEYS)
    assert AUDIT_KEYS[-1] == "reserved_for"
    assert event["reserved_for"] == "2025-12-06"
    assert event_to_dict(events(database)[0])["reserved_for"] is None
