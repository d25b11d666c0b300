"""What the lifecycle's dialogs read: a batch's lab results, the orders that used it (a
recall's answer), one audit event (the one to reverse)."""

from __future__ import annotations

from dairy_desktop.domain.audit import AuditAction, AuditEvent, AuditFilter
from dairy_desktop.domain.qa import QaResult, QaState
from dairy_desktop.services.plant_settings import settings_from
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import no_such_event, not_found


def orders_using(database: Database, code: str) -> list[AuditEvent]:
    """The batch's consume events, oldest first, each saying whether it was reversed;
    NotFound if there is no such batch (an empty list then would read as "nobody used it")."""
    code = code.strip()
    with database.unit_of_work() as uow:
        uses = uow.audit.uses_of(code)
        if not uses and uow.batches.get_by_code(code) is None:
            raise not_found(code)
    return uses


def qa_results(database: Database, code: str) -> list[AuditEvent]:
    """The batch's `qa` events (one lab result each), oldest first."""
    with database.unit_of_work() as uow:
        return uow.audit.history(AuditFilter(batch_code=code.strip(), action=AuditAction.QA))


def required_tests_left(database: Database, code: str) -> tuple[str, ...]:
    """The plant's required tests that have no pass for the batch yet, in the setting's
    order: what still stands between a batch awaiting QA and its release."""
    code = code.strip()
    with database.unit_of_work() as uow:
        required = settings_from(uow.settings.all()).required_tests
        batch = uow.batches.get_by_code(code)
        results = uow.audit.history(AuditFilter(batch_code=code, action=AuditAction.QA))
    if batch is None:
        raise not_found(code)
    if batch.qa_state is not QaState.PENDING:
        return ()
    passed = {e.qa_test for e in results if e.qa_result == QaResult.PASS}
    return tuple(test for test in required if test not in passed)


def event(database: Database, event_id: int) -> AuditEvent:
    """One audit event, saying whether it was reversed (and by which event)."""
    with database.unit_of_work() as uow:
        found = uow.audit.event_by_id(event_id)
    if found is None:
        raise no_such_event(event_id)
    return found
