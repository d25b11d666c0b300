"""Record one lab result for a batch: the QA release gate's only way in or out."""

from __future__ import annotations

from datetime import datetime

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed, Refused
from dairy_desktop.domain.clock import as_utc, utc_now
from dairy_desktop.domain.qa import QaResult
from dairy_desktop.domain.qa import qa_record as validated_record
from dairy_desktop.services.action_log import logged_action
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.ports import Database
from dairy_desktop.services.refusals import refusal_for_qa
from dairy_desktop.services.reused_request_id import same_change_or_refuse


@logged_action("qa")
def record_qa_once(
    database: Database,
    code: str,
    *,
    test: str,
    result: str | QaResult,
    analyst: str,
    actor: Actor,
    kit: str | None = None,
    sample_id: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Changed:
    """Append the result to the batch's record, audited as `qa`. The database decides in the
    same statement what it does: a fail rejects the batch for good; a pass that completes the
    plant's required tests releases a batch awaiting QA. Refused on a deleted, recalled or
    rejected batch. A request id already recorded changes nothing (replayed)."""
    at = as_utc(now) if now else utc_now()
    record = validated_record(
        test=test, result=result, analyst=analyst, kit=kit, sample_id=sample_id, note=note
    )
    code = code.strip()
    with database.unit_of_work(write=True, single_change=True) as uow:
        outcome = uow.changes.record_qa(
            code, record, expected_version=expected_version, stamp=actor.stamp(at)
        )
        if isinstance(outcome, Refused):
            raise refusal_for_qa(outcome.current, code, expected_version=expected_version)
        uow.commit()
    return same_change_or_refuse(
        outcome,
        AuditAction.QA,
        code,
        qa_test=record.test,
        qa_result=record.result.value,
        qa_analyst=record.analyst,
        qa_kit=record.kit,
        qa_sample_id=record.sample_id,
        reason=record.note,
    )
