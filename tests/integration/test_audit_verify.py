"""`audit verify` finds every way the record can be made to lie, on both databases."""

from __future__ import annotations

from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.services.audit_verify import verify_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from tests.integration.helpers import ANN, register
from tests.support.tamper import tampering

CODE = "SCH-20251204-0001"
OTHER = "SCH-20251204-0002"


def _history(database: Database) -> None:
    """Two batches: one registered, consumed twice, deleted and restored; one untouched."""
    register(database, CODE, "100")
    consume(database, CODE, "10", actor=ANN.for_action())
    consume(database, CODE, "2.5", actor=ANN.for_action())
    delete_batch(database, CODE, reason="spilt", actor=ANN.for_action())
    restore_batch(database, CODE, reason="found", actor=ANN.for_action())
    register(database, OTHER, "50")


def _event_ids(database: Database, code: str) -> list[int]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT e.id FROM audit_events e JOIN batches b ON b.id = e.batch_id "
                "WHERE b.code = :code ORDER BY e.id"
            ),
            {"code": code},
        )
        return [row[0] for row in rows]


def test_an_untouched_record_verifies(database: Database) -> None:
    _history(database)

    verification = verify_audit(database)

    assert verification.ok
    assert verification.events == 6
    assert verification.first_broken_event_id is None
    assert verification.mismatched_batches == []
    assert verification.message == "6 events, chain intact, every batch agrees with its history"


def test_an_empty_database_verifies(database: Database) -> None:
    verification = verify_audit(database)

    assert verification.ok
    assert verification.message == "0 events, chain intact, every batch agrees with its history"


def test_a_direct_update_of_a_batch_is_named(database: Database) -> None:
    _history(database)
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE batches SET remaining_ml = initial_ml WHERE code = :code"), {"code": CODE}
        )

    verification = verify_audit(database)

    assert not verification.ok
    assert verification.first_broken_event_id is None
    assert verification.mismatched_batches == [CODE]
    assert "remaining mL 100000 (history: 87500)" in verification.problems[0]
    assert CODE in verification.message


def test_an_edited_event_is_the_first_broken_one(database: Database) -> None:
    _history(database)
    edited = _event_ids(database, CODE)[1]
    with tampering(database) as connection:
        connection.execute(
            text("UPDATE audit_events SET operator = 'someone else' WHERE id = :id"),
            {"id": edited},
        )

    verification = verify_audit(database)

    assert not verification.ok
    assert verification.first_broken_event_id == edited
    assert verification.mismatched_batches == [CODE]
    assert f"first broken event: {edited}" in verification.message


def test_an_edited_amount_with_its_hash_recomputed_still_fails_the_replay(
    database: Database,
) -> None:
    _history(database)
    first_consume = _event_ids(database, CODE)[1]
    with tampering(database) as connection:
        # The intruder knows the chain's rules but cannot make the litres add up.
        connection.execute(
            text("UPDATE audit_events SET liters_ml = 1000 WHERE id = :id"), {"id": first_consume}
        )
    _rehash(database)

    verification = verify_audit(database)

    assert verification.first_broken_event_id == first_consume
    assert verification.mismatched_batches == [CODE]


def test_a_deleted_event_breaks_the_chain_at_the_next_one(database: Database) -> None:
    _history(database)
    ids = _event_ids(database, CODE)
    with tampering(database) as connection:
        connection.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[2]})

    verification = verify_audit(database)

    assert verification.first_broken_event_id == ids[3]
    assert verification.mismatched_batches == [CODE]
    assert verification.events == 5


def test_an_inserted_event_is_named(database: Database) -> None:
    _history(database)
    with tampering(database) as connection:
        batch_id = connection.execute(
            text("SELECT id FROM batches WHERE code = :code"), {"code": OTHER}
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO audit_events (at, batch_id, action, liters_ml, remaining_after_ml,"
                " version_after, operator, workstation, prev_hash, hash) VALUES (:at, :batch,"
                " 'consume', 1000, 49000, 2, 'ghost', 'nowhere', :zeros, :zeros)"
            ),
            {"at": "2025-12-04 07:00:00.000000", "batch": batch_id, "zeros": "0" * 64},
        )
        inserted = connection.execute(text("SELECT max(id) FROM audit_events")).scalar_one()

    verification = verify_audit(database)

    assert verification.first_broken_event_id == inserted
    assert verification.mismatched_batches == [OTHER]


def test_a_batch_without_any_event_is_named(database: Database) -> None:
    _history(database)
    with tampering(database) as connection:
        connection.execute(
            text(
                "INSERT INTO batches (code, received_at, shelf_life_days, expires_at, initial_ml,"
                " remaining_ml, version, updated_at) SELECT 'SCH-20251204-0099', received_at,"
                " shelf_life_days, expires_at, initial_ml, remaining_ml, 1, updated_at"
                " FROM batches WHERE code = :code"
            ),
            {"code": OTHER},
        )

    verification = verify_audit(database)

    assert verification.first_broken_event_id is None
    assert verification.mismatched_batches == ["SCH-20251204-0099"]
    assert "no audit events" in verification.problems[0]


def test_events_from_before_the_chain_are_replayed_and_counted(database: Database) -> None:
    register(database, CODE, "100")
    consume(database, CODE, "10", actor=ANN.for_action())
    with tampering(database) as connection:  # what migration 0003 found: no hashes yet
        connection.execute(text("UPDATE audit_events SET prev_hash = NULL, hash = NULL"))
    consume(database, CODE, "5", actor=ANN.for_action())

    verification = verify_audit(database)

    assert verification.ok, verification.problems
    assert verification.unchained_events == 2
    assert verification.events == 3


def _rehash(database: Database) -> None:
    """Recompute every hash from the stored content, as a knowing intruder would."""
    # Imported here: the chain rules are this test's tool, not the code under test.
    from dairy_desktop.db.audit_chain_queries import audit_snapshot
    from dairy_desktop.domain.audit_chain import GENESIS, event_hash
    from dairy_desktop.services.audit_verify import _content

    last: dict[int, str] = {}
    rewritten: list[tuple[int, str, str]] = []
    with audit_snapshot(database) as snapshot:
        for event in snapshot.events():
            prev = last.get(event.batch_id, GENESIS)
            digest = event_hash(_content(event, prev))
            last[event.batch_id] = digest
            rewritten.append((event.id, prev, digest))
    with tampering(database) as connection:
        for event_id, prev, digest in rewritten:
            connection.execute(
                text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                {"p": prev, "h": digest, "id": event_id},
            )
