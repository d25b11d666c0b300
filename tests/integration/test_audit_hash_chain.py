"""Every new audit event carries its hash, chained per batch (domain.audit_chain), and the
database login that wrote it. On PostgreSQL the hash is computed in SQL inside the change's
statement: recomputing it in Python for the stored events proves the two agree, non-ASCII
text and NULLs included."""

from __future__ import annotations

import threading
from collections import defaultdict

from sqlalchemy import text

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.audit_chain import GENESIS, ChainedContent, event_hash
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch, restore_batch
from tests.integration.helpers import ANN, register
from tests.support.databases import open_test_database

CODE = "SCH-20251204-0001"
OTHER = "SCH-20251204-0002"
# Two-byte, three-byte and four-byte UTF-8, where characters and bytes differ in number.
ZOE = Actor(operator="Zoë Ångström", workstation="PC-ミルク-🥛")


def _content(event: AuditEvent) -> ChainedContent:
    assert event.prev_hash is not None
    return ChainedContent(
        batch_code=event.batch_code,
        action=event.action.value,
        at=event.at,
        liters_ml=event.liters_ml,
        remaining_after_ml=event.remaining_after_ml,
        version_after=event.version_after,
        order_id=event.order_id,
        operator=event.operator,
        workstation=event.workstation,
        reason=event.reason,
        request_id=event.request_id,
        db_user=event.db_user,
        prev_hash=event.prev_hash,
        qa_state_after=event.qa_state_after,
    )


def _assert_chains_intact(events: list[AuditEvent]) -> None:
    previous: dict[str, str] = defaultdict(lambda: GENESIS)
    for event in events:
        assert event.hash is not None
        assert event.prev_hash == previous[event.batch_code], event
        assert event_hash(_content(event)) == event.hash, event
        previous[event.batch_code] = event.hash


def test_stored_hashes_are_what_python_computes_from_the_stored_events(
    database: Database,
) -> None:
    register(database, liters="10")
    register(database, code=OTHER, liters="5")
    consume(database, CODE, "1.5", actor=ZOE.for_action(), order_id="ORDER-20251204-0001")
    consume(database, OTHER, "0.001", actor=ANN)  # NULL request id and order id
    delete_batch(database, CODE, reason="sauer — Geschmack geprüft ✓ 😖", actor=ZOE.for_action())
    restore_batch(database, CODE, reason="Irrtum", actor=ZOE.for_action())
    events = list_audit(database)
    assert len(events) == 6
    _assert_chains_intact(events)


def test_each_batch_has_its_own_chain_starting_at_genesis(database: Database) -> None:
    register(database, liters="10")
    register(database, code=OTHER, liters="10")
    consume(database, CODE, "1", actor=ANN)
    first, second, third = list_audit(database)
    assert first.prev_hash == second.prev_hash == GENESIS
    assert third.prev_hash == first.hash


def test_the_database_login_is_stored(database: Database) -> None:
    register(database, liters="10")
    consume(database, CODE, "1", actor=ANN)
    if database.kind == "postgresql":
        with database.engine.connect() as connection:
            login = connection.execute(text("SELECT current_user")).scalar_one()
        assert [e.db_user for e in list_audit(database)] == [login, login]
    else:
        # SQLite has no login: nothing is claimed.
        assert [e.db_user for e in list_audit(database)] == [None, None]


def test_the_chain_holds_under_concurrent_writers(database_url: str) -> None:
    """Eight connections consuming from two batches at once: each batch's chain is still one
    unbroken line, and its events' times never go backwards."""
    setup = open_test_database(database_url)
    register(setup, liters="100")
    register(setup, code=OTHER, liters="100")
    gate = threading.Barrier(8)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        database = open_test_database(database_url)
        try:
            database.ping()
            gate.wait(30)
            for _ in range(10):
                consume(database, (CODE, OTHER)[number % 2], "0.1", actor=ZOE.for_action())
        except BaseException as error:
            errors.append(error)
        finally:
            database.dispose()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    events = list_audit(setup)
    assert len(events) == 82
    _assert_chains_intact(events)
    if setup.kind == "postgresql":  # SQLite keeps the PCs' clocks, which may disagree
        for code in (CODE, OTHER):
            times = [e.at for e in events if e.batch_code == code]
            assert times == sorted(times)
    setup.dispose()
