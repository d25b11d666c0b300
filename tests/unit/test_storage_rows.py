"""Rows become domain values by position: the columns read must stay in the order of the
dataclasses' fields, and replayed changes rebuild the lifecycle state from the event."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

from dairy_desktop.db.repositories.qa_gate import parse_stored_tests
from dairy_desktop.db.repositories.rows import BATCH_COLUMNS, EVENT_COLUMNS
from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.change import batch_after
from dairy_desktop.domain.qa import QaState
from tests.support.factories import make_batch, make_event

T = datetime(2025, 12, 4, 8, 0, tzinfo=UTC)


def test_the_batch_columns_are_the_batch_fields_in_order() -> None:
    assert [c.key for c in BATCH_COLUMNS] == [f.name for f in fields(Batch)]


def test_the_event_columns_are_the_event_fields_in_order() -> None:
    names = [c.key for c in EVENT_COLUMNS]
    names[names.index("code")] = "batch_code"  # the batch's code, from the join
    assert names == [f.name for f in fields(AuditEvent)]


def test_the_stored_required_tests_are_read_as_the_server_reads_them() -> None:
    assert parse_stored_tests(None) == {"beta-lactam"}
    assert parse_stored_tests(" ,\n ") == {"beta-lactam"}
    assert parse_stored_tests("Beta Lactam,\r\n aflatoxin-m1 ,") == {"beta-lactam", "aflatoxin-m1"}


def test_a_replayed_hold_release_recall_and_fail_rebuild_the_state() -> None:
    now = make_batch("SCH-1", T + timedelta(days=3), version=5)
    held = batch_after(make_event(now, AuditAction.HOLD, T), now)
    assert held.held_at == T
    released = batch_after(make_event(now, AuditAction.RELEASE, T), held)
    assert released.held_at is None
    recalled = batch_after(make_event(now, AuditAction.RECALL, T), now)
    assert recalled.recalled_at == T
    failed = batch_after(make_event(now, AuditAction.QA, T, qa_result="fail"), now)
    assert failed.qa_state is QaState.REJECTED
    pending = make_batch("SCH-1", T + timedelta(days=3), qa_state=QaState.PENDING)
    passed = batch_after(make_event(pending, AuditAction.QA, T, qa_result="pass"), pending)
    assert passed.qa_state is QaState.PENDING  # the event alone does not say it released
