"""A request id already recorded replays only the change it was first sent with: a
different change reusing it is refused (exit 2), not "replayed" having done nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.lifecycle import delete_once, restore_once
from dairy_desktop.services.queries import get_batch
from dairy_desktop.services.register import register_once
from tests.support.fake_database import FakeDatabase
from tests.unit.services.stock import ANN, NOW, code, fresh

USED = "request id r1 was already used for"


def _refused(change: Callable[[], object]) -> str:
    with pytest.raises(InvalidInput) as refused:
        change()
    assert refused.value.exit_code == 2
    assert refused.value.field == "request_id"
    return str(refused.value)


def test_a_consume_reusing_a_registrations_request_id_is_refused(database: FakeDatabase) -> None:
    actor = ANN.for_action("r1")
    register_once(database, code=code(1), liters="10", shelf_life_days=5, actor=actor, now=NOW)
    message = _refused(lambda: consume_once(database, code(1), "1", actor=actor, now=NOW))
    assert message == (
        f"{USED} register of {code(1)} at 2025-12-04T08:00:00Z; use a new request id"
    )
    assert get_batch(database, code(1)).remaining_ml == 10_000
    assert len(list_audit(database)) == 1


@pytest.mark.parametrize(
    ("liters", "order_id", "number"),
    [("2", None, 1), ("1", "ORDER-20251204-0009", 1), ("1", None, 2)],
    ids=["other litres", "other order", "other batch"],
)
def test_a_consume_differing_in_any_detail_is_refused(
    database: FakeDatabase, liters: str, order_id: str | None, number: int
) -> None:
    fresh(database, 1, liters="10")
    fresh(database, 2, liters="10")
    actor = ANN.for_action("r1")
    consume_once(database, code(1), "1", actor=actor, now=NOW)
    message = _refused(
        lambda: consume_once(
            database, code(number), liters, order_id=order_id, actor=actor, now=NOW
        )
    )
    assert message.startswith(f"{USED} consume of {code(1)} at ")
    assert [get_batch(database, code(n)).remaining_ml for n in (1, 2)] == [9_000, 10_000]


def test_the_same_consume_again_is_still_replayed(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    actor = ANN.for_action("r1")
    consume_once(database, code(1), "1.5", order_id="ORDER-20251204-0001", actor=actor, now=NOW)
    again = consume_once(
        database, code(1), "1.500", order_id="ORDER-20251204-0001", actor=actor, now=NOW
    )
    assert again.replayed


def test_a_registration_of_other_litres_or_code_is_refused(database: FakeDatabase) -> None:
    actor = ANN.for_action("r1")
    register_once(database, code=code(1), liters="10", shelf_life_days=5, actor=actor, now=NOW)

    def again(number: int, liters: str) -> None:
        register_once(
            database, code=code(number), liters=liters, shelf_life_days=5, actor=actor, now=NOW
        )

    for number, liters in ((1, "11"), (2, "10")):
        message = _refused(lambda: again(number, liters))  # noqa: B023  # called at once
        assert message.startswith(f"{USED} register of {code(1)} at ")
    assert list(database.tables.batches) == [code(1)]
    assert len(list_audit(database)) == 1


def test_delete_and_restore_compare_the_action_and_the_reason(database: FakeDatabase) -> None:
    fresh(database, liters="10")
    actor = ANN.for_action("r1")
    delete_once(database, code(1), reason="sour", actor=actor, now=NOW)
    assert delete_once(database, code(1), reason=" sour ", actor=actor, now=NOW).replayed
    other_reason = _refused(
        lambda: delete_once(database, code(1), reason="spilt", actor=actor, now=NOW)
    )
    assert other_reason.startswith(f"{USED} delete of {code(1)} at ")
    other_action = _refused(
        lambda: restore_once(database, code(1), reason="sour", actor=actor, now=NOW)
    )
    assert other_action.startswith(f"{USED} delete of {code(1)} at ")
    assert get_batch(database, code(1)).deleted_at is not None
