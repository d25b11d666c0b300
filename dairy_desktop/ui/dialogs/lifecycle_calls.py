"""What the lifecycle dialogs (QA, hold, release, recall, dispose, reverse) ask of the services.

A protocol rather than the session itself: the dialogs run these calls on a worker (plain
values in, plain values out), and tests hand them an in-memory stand-in. The session adapter
(ui/dialogs/session_calls.py) is the one the window uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason


@dataclass(frozen=True, slots=True)
class QaEntry:
    """One lab result as typed (the service validates it: domain.qa.qa_record)."""

    test: str
    result: str  # "pass" or "fail"
    analyst: str
    kit: str | None = None
    sample_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Recalled:
    """A recall's answer: the batch as recalled, and the consumes that used its milk."""

    batch: Batch
    orders: tuple[AuditEvent, ...]


class LifecycleCalls(Protocol):
    """Each change takes the version the dialog loaded and its submit's request id; each
    raises the services' refusals (VersionConflict, RuleRefused, InvalidInput, ...)."""

    def history(self, code: str) -> list[AuditEvent]: ...

    def record_qa(
        self, code: str, entry: QaEntry, *, expected_version: int, request_id: str
    ) -> Batch: ...

    def hold(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Batch: ...

    def release(
        self, code: str, reason: str, *, expected_version: int, request_id: str
    ) -> Batch: ...

    def recall(
        self, code: str, reason: str, *, expected_version: int, request_id: str
    ) -> Recalled: ...

    def dispose(
        self,
        code: str,
        liters: str | None,
        *,
        reason_code: DisposeReason,
        note: str | None,
        expected_version: int,
        request_id: str,
    ) -> Batch: ...

    def reverse(
        self, event_id: int, reason: str, *, expected_version: int, request_id: str
    ) -> Batch: ...
