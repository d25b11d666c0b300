"""The lifecycle's changes at the storage level, on both databases: QA, hold, release,
recall, dispose and reverse, each with its guard; a refusal changes nothing; every new
event's stored hash is the one domain.audit_chain computes.

tests/unit/services/test_fake_lifecycle_storage.py runs these same tests on the in-memory
database, so the services' unit tests stand on the same rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction, AuditEvent, AuditFilter
from dairy_desktop.domain.audit_chain import ChainedContent, event_hash
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.intake import NO_INTAKE, Intake
from dairy_desktop.domain.new_batch import NewBatch
from dairy_desktop.domain.qa import QaRecord, QaResult, QaState
from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.services.ports import Changes
from tests.support.qa_gate import forget_qa_gate, set_qa_gate

CODE = "SCH-20251204-0001"
BETA = QaRecord(
    test="beta-lactam", result=QaResult.PASS, analyst="Dr Lab", kit="Snap", sample_id="S-1"
)
FAIL = QaRecord(test="beta-lactam", result=QaResult.FAIL, analyst="Dr Lab", note="positive")


def stamp(request_id: str | None = None) -> Stamp:
    # PostgreSQL ignores `at` (its clock decides); SQLite's guards use it: the real time.
    return Stamp(datetime.now(UTC), "ann", "PC-1", "action-1", request_id)


def change(database: Database, call: Callable[[Changes], Changed | Refused]) -> Changed | Refused:
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = call(uow.changes)
        uow.commit()
    return outcome


def changed(database: Database, call: Callable[[Changes], Changed | Refused]) -> Changed:
    outcome = change(database, call)
    assert isinstance(outcome, Changed), outcome
    return outcome


def refused(database: Database, call: Callable[[Changes], Changed | Refused]) -> Refused:
    """`call` is refused and the database is exactly as it was."""
    before = state(database)
    outcome = change(database, call)
    assert isinstance(outcome, Refused), outcome
    assert state(database) == before
    return outcome


def state(database: Database) -> tuple[list[Batch], int]:
    with database.unit_of_work() as uow:
        return uow.batches.by_expiry(), uow.audit.last_id()


def current(database: Database, code: str = CODE) -> Batch:
    with database.unit_of_work() as uow:
        batch = uow.batches.get_by_code(code)
    assert batch is not None
    return batch


def events(database: Database, code: str = CODE) -> list[AuditEvent]:
    with database.unit_of_work() as uow:
        return uow.audit.history(AuditFilter(batch_code=code))


def register(
    database: Database, code: str = CODE, liters_ml: int = 100_000, intake: Intake = NO_INTAKE
) -> Batch:
    new = NewBatch.received(
        code, datetime.now(UTC) - timedelta(hours=1), 5, liters_ml, None, intake
    )
    return changed(database, lambda c: c.register(new, stamp())).batch


def released(database: Database, code: str = CODE, liters_ml: int = 100_000) -> Batch:
    """A batch registered with the gate off: usable at once."""
    set_qa_gate(database, False)
    return register(database, code, liters_ml)


def pending(database: Database, code: str = CODE, *, tests: str | None = None) -> Batch:
    set_qa_gate(database, True, required_tests=tests)
    batch = register(database, code)
    assert batch.qa_state is QaState.PENDING
    return batch


def consume(ml: int) -> Callable[[Changes], Changed | Refused]:
    return lambda c: c.consume(CODE, ml, expected_version=None, order_id="ORD-1", stamp=stamp())


def qa(record: QaRecord) -> Callable[[Changes], Changed | Refused]:
    return lambda c: c.record_qa(CODE, record, expected_version=None, stamp=stamp())


def hold(c: Changes) -> Changed | Refused:
    return c.hold(CODE, expected_version=None, reason="smell", stamp=stamp())


def release(c: Changes) -> Changed | Refused:
    return c.release(CODE, expected_version=None, reason="fine", stamp=stamp())


def recall(c: Changes) -> Changed | Refused:
    return c.recall(CODE, expected_version=None, reason="supplier recall", stamp=stamp())


def delete(c: Changes) -> Changed | Refused:
    return c.delete(CODE, expected_version=None, reason="typo", stamp=stamp())


def dispose(
    ml: int | None, reason: DisposeReason = DisposeReason.SPILLAGE
) -> Callable[[Changes], Changed | Refused]:
    return lambda c: c.dispose(
        CODE, ml, reason_code=reason, note="floor", expected_version=None, stamp=stamp()
    )


def reverse(event_id: int) -> Callable[[Changes], Changed | Refused]:
    return lambda c: c.reverse(event_id, expected_version=None, reason="wrong", stamp=stamp())


def hash_of(event: AuditEvent) -> str:
    assert event.prev_hash is not None
    return event_hash(
        ChainedContent(
            event.batch_code, event.action.value, event.at, event.liters_ml,
            event.remaining_after_ml, event.version_after, event.order_id, event.operator,
            event.workstation, event.reason, event.request_id, event.db_user, event.prev_hash,
            event.reason_code, event.reverses_id, event.qa_test, event.qa_result,
            event.qa_analyst, event.qa_kit, event.qa_sample_id, event.qa_state_after,
        )
    )  # fmt: skip


def assert_chain_verifies(database: Database, code: str = CODE) -> None:
    trail = events(database, code)
    for before, event in zip([None, *trail], trail, strict=False):
        assert event.prev_hash == (before.hash if before else "0" * 64)
        assert hash_of(event) == event.hash, event


# --- register and the gate ---------------------------------------------------------------


def test_register_stores_the_intake_and_starts_pending_while_the_gate_is_on(
    database: Database,
) -> None:
    set_qa_gate(database, True)
    intake = Intake(supplier="Hof Müller", tanker="TK-7", seal="S-99", temperature_deci=45)
    batch = register(database, intake=intake)

    assert (batch.supplier, batch.tanker, batch.seal, batch.temperature_deci) == (
        "Hof Müller", "TK-7", "S-99", 45,
    )  # fmt: skip
    assert batch.qa_state is QaState.PENDING
    assert current(database) == batch
    assert (batch.held_at, batch.recalled_at) == (None, None)


def test_register_starts_released_with_the_gate_off(database: Database) -> None:
    assert released(database).qa_state is QaState.RELEASED


def test_a_missing_gate_setting_counts_as_on(database: Database) -> None:
    forget_qa_gate(database)
    assert register(database).qa_state is QaState.PENDING


# --- QA ------------------------------------------------------------------------------------


def test_a_pass_of_the_default_test_releases_a_pending_batch(database: Database) -> None:
    pending(database)
    refused(database, consume(1000))

    result = changed(database, qa(BETA))

    assert result.batch.qa_state is QaState.RELEASED
    assert result.batch.version == 2
    event = result.event
    assert (event.action, event.qa_test, event.qa_result, event.qa_analyst) == (
        AuditAction.QA, "beta-lactam", "pass", "Dr Lab",
    )  # fmt: skip
    assert (event.qa_kit, event.qa_sample_id, event.liters_ml) == ("Snap", "S-1", None)
    assert events(database)[-1] == event
    changed(database, consume(1000))
    assert_chain_verifies(database)


def test_every_required_test_must_pass_before_release(database: Database) -> None:
    pending(database, tests="Beta Lactam,\n aflatoxin-m1 ")
    first = changed(database, qa(BETA))
    assert first.batch.qa_state is QaState.PENDING
    refused(database, consume(1000))

    aflatoxin = QaRecord(test="aflatoxin-m1", result=QaResult.PASS, analyst="Dr Lab")
    second = changed(database, qa(aflatoxin))

    assert second.batch.qa_state is QaState.RELEASED
    assert_chain_verifies(database)


def test_a_pass_of_a_test_not_required_releases_nothing(database: Database) -> None:
    pending(database)
    scc = QaRecord(test="scc", result=QaResult.PASS, analyst="Dr Lab")
    assert changed(database, qa(scc)).batch.qa_state is QaState.PENDING


def test_a_fail_rejects_even_a_released_batch_and_for_good(database: Database) -> None:
    released(database)
    result = changed(database, qa(FAIL))
    assert result.batch.qa_state is QaState.REJECTED
    assert result.event.reason == "positive"

    refused(database, qa(BETA))
    refused(database, consume(1000))
    assert current(database).qa_state is QaState.REJECTED


def test_qa_is_refused_on_a_deleted_or_recalled_batch(database: Database) -> None:
    pending(database)
    changed(database, delete)
    refused(database, qa(BETA))
    pending(database, "SCH-20251204-0002")
    changed(
        database,
        lambda c: c.recall("SCH-20251204-0002", expected_version=None, reason="r", stamp=stamp()),
    )
    outcome = refused(
        database,
        lambda c: c.record_qa("SCH-20251204-0002", BETA, expected_version=None, stamp=stamp()),
    )
    assert outcome.current is not None
    assert outcome.current.is_recalled


def test_qa_with_a_stale_version_is_refused(database: Database) -> None:
    pending(database)
    refused(database, lambda c: c.record_qa(CODE, BETA, expected_version=7, stamp=stamp()))


# --- consume's guard -------------------------------------------------------------------------


def test_consume_is_refused_while_held_or_recalled(database: Database) -> None:
    released(database)
    held = changed(database, hold)
    assert held.batch.held_at is not None
    assert held.batch.held_at == held.event.at
    refused(database, consume(1000))

    lifted = changed(database, release)
    assert lifted.batch.held_at is None
    changed(database, consume(1000))

    changed(database, recall)
    refused(database, consume(1000))


def test_usable_batches_leave_out_pending_held_and_recalled_ones(database: Database) -> None:
    released(database, "SCH-20251204-0001")
    released(database, "SCH-20251204-0002")
    released(database, "SCH-20251204-0003")
    pending(database, "SCH-20251204-0004")
    changed(
        database,
        lambda c: c.hold("SCH-20251204-0002", expected_version=None, reason="r", stamp=stamp()),
    )
    changed(
        database,
        lambda c: c.recall("SCH-20251204-0003", expected_version=None, reason="r", stamp=stamp()),
    )
    now = datetime.now(UTC)
    with database.unit_of_work() as uow:
        usable = uow.batches.usable_expiring_before(now + timedelta(days=30), now=now)
    assert [b.code for b in usable] == ["SCH-20251204-0001"]


# --- hold, release, recall -------------------------------------------------------------------


def test_hold_twice_release_unheld_and_hold_deleted_are_refused(database: Database) -> None:
    released(database)
    refused(database, release)
    changed(database, hold)
    refused(database, hold)
    changed(database, release)
    changed(database, delete)
    refused(database, hold)


def test_a_recall_is_final_and_may_reach_a_deleted_batch(database: Database) -> None:
    released(database)
    changed(database, hold)
    changed(database, delete)

    recalled = changed(database, recall)

    assert recalled.batch.recalled_at == recalled.event.at
    assert recalled.batch.is_deleted
    refused(database, recall)
    refused(database, release)  # held, but a recall is final
    assert_chain_verifies(database)


# --- dispose -----------------------------------------------------------------------------------


def test_dispose_takes_litres_off_with_its_reason_code(database: Database) -> None:
    released(database, liters_ml=10_000)
    part = changed(database, dispose(4_000))
    assert part.batch.remaining_ml == 6_000
    assert (part.event.liters_ml, part.event.reason_code, part.event.reason) == (
        4_000, "spillage", "floor",
    )  # fmt: skip

    rest = changed(database, dispose(None, DisposeReason.EXPIRED))

    assert rest.batch.remaining_ml == 0
    assert rest.event.liters_ml == 6_000
    refused(database, dispose(None))  # nothing left
    assert_chain_verifies(database)


def test_dispose_is_refused_beyond_what_is_left_or_on_a_deleted_batch(database: Database) -> None:
    released(database, liters_ml=10_000)
    refused(database, dispose(10_001))
    refused(database, dispose(0))
    changed(database, delete)
    refused(database, dispose(1_000))


def test_a_rejected_load_is_disposed_only_as_one(database: Database) -> None:
    released(database, liters_ml=10_000)
    refused(database, dispose(1_000, DisposeReason.REJECTED_LOAD))  # not rejected
    changed(database, qa(FAIL))
    refused(database, dispose(1_000, DisposeReason.SPILLAGE))

    result = changed(database, dispose(None, DisposeReason.REJECTED_LOAD))

    assert result.batch.remaining_ml == 0
    assert result.event.reason_code == "rejected-load"


def test_pending_held_and_recalled_batches_can_be_disposed(database: Database) -> None:
    pending(database)
    changed(database, dispose(1_000, DisposeReason.LAB_SAMPLE))
    changed(database, hold)
    changed(database, dispose(1_000))
    changed(database, recall)
    assert changed(database, dispose(None)).batch.remaining_ml == 0


# --- reverse -------------------------------------------------------------------------------------


def test_a_reverse_puts_the_litres_back_once(database: Database) -> None:
    released(database, liters_ml=10_000)
    used = changed(database, consume(3_000)).event

    undone = changed(database, reverse(used.id))

    assert undone.batch.remaining_ml == 10_000
    assert undone.batch.version == 3
    assert (undone.event.action, undone.event.liters_ml, undone.event.reverses_id) == (
        AuditAction.REVERSE, 3_000, used.id,
    )  # fmt: skip
    refused(database, reverse(used.id))  # already reversed
    refused(database, reverse(undone.event.id))  # a reversal of a reversal
    with database.unit_of_work() as uow:
        assert uow.audit.event_by_id(used.id) == dataclass_replace(used, undone.event.id)
        assert uow.audit.uses_of(CODE) == [dataclass_replace(used, undone.event.id)]
        history = uow.audit.history(AuditFilter(batch_code=CODE))
    assert [e.reversed_by for e in history] == [None, undone.event.id, None]
    assert_chain_verifies(database)


def dataclass_replace(event: AuditEvent, reversed_by: int) -> AuditEvent:
    import dataclasses

    return dataclasses.replace(event, reversed_by=reversed_by)


def test_a_dispose_can_be_reversed_but_not_a_register_or_hold(database: Database) -> None:
    released(database, liters_ml=10_000)
    written_off = changed(database, dispose(2_000)).event
    assert changed(database, reverse(written_off.id)).batch.remaining_ml == 10_000
    registered = events(database)[0]
    refused(database, reverse(registered.id))
    held = changed(database, hold).event
    refused(database, reverse(held.id))


def test_a_reverse_is_refused_on_a_deleted_or_recalled_batch(database: Database) -> None:
    released(database, liters_ml=10_000)
    used = changed(database, consume(1_000)).event
    changed(database, delete)
    refused(database, reverse(used.id))
    changed(database, lambda c: c.restore(CODE, expected_version=None, reason="r", stamp=stamp()))
    changed(database, recall)
    refused(database, reverse(used.id))


def test_a_reverse_of_no_such_event_is_refused_without_a_batch(database: Database) -> None:
    released(database)
    assert refused(database, reverse(999_999)).current is None


def test_a_resent_change_replays_its_first_result(database: Database) -> None:
    released(database)
    first = changed(
        database, lambda c: c.hold(CODE, expected_version=None, reason="r", stamp=stamp("req-1"))
    )
    again = changed(
        database, lambda c: c.hold(CODE, expected_version=None, reason="r", stamp=stamp("req-1"))
    )
    assert again.replayed
    assert again.event == first.event
    assert again.batch == first.batch
