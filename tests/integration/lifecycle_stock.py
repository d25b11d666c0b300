"""Batches put in a lifecycle state through the use cases, on either real database, and a
snapshot to prove a refusal changed nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.db.database import Database
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.holds import hold_once, recall_once
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.queries import get_batch
from tests.integration.helpers import ANN, register

CODE = "SCH-20251204-0001"
LAB = "lab-anna"


def put_setting(database: Database, key: str, value: str) -> None:
    with database.unit_of_work(write=True) as uow:
        uow.settings.put(key, value, at=datetime.now(UTC), by="test")
        uow.commit()


def gate_on(database: Database, tests: str = "beta-lactam") -> None:
    """The QA release gate on (as on a new database), requiring `tests`."""
    put_setting(database, "qa_release_required", "true")
    put_setting(database, "qa_required_tests", tests)


def pending(database: Database, code: str = CODE, liters: str = "1000") -> Batch:
    gate_on(database)
    return register(database, code, liters)


def qa(database: Database, code: str, result: str, test: str = "beta-lactam") -> Batch:
    return record_qa_once(
        database, code, test=test, result=result, analyst=LAB, actor=ANN.for_action()
    ).batch


def released(database: Database, code: str = CODE, liters: str = "1000") -> Batch:
    pending(database, code, liters)
    return qa(database, code, "pass")


def rejected(database: Database, code: str = CODE) -> Batch:
    pending(database, code)
    return qa(database, code, "fail")


def held(database: Database, code: str = CODE) -> Batch:
    released(database, code)
    return hold_once(database, code, reason="lab query", actor=ANN.for_action()).batch


def recalled(database: Database, code: str = CODE) -> Batch:
    released(database, code)
    return recall_once(database, code, reason="supplier notice", actor=ANN.for_action()).batch


def deleted(database: Database, code: str = CODE) -> Batch:
    released(database, code)
    return delete_batch(database, code, reason="sour", actor=ANN.for_action())


def expired(database: Database, code: str = CODE) -> Batch:
    """Released, then past its expiry (received two days ago with a day's shelf life)."""
    gate_on(database)
    register(database, code, days=1, received=datetime.now(UTC) - timedelta(days=2))
    return qa(database, code, "pass")


def snapshot(database: Database, code: str = CODE) -> tuple[Batch, int]:
    """The batch and the number of audit events: a refusal leaves both as they were."""
    return get_batch(database, code), len(list_audit(database))
