"""The lifecycle dialogs' calls (lifecycle_calls.LifecycleCalls) made on a working session.

Plain Python run on a worker: each change is recorded as the session's operator on this PC
with the submit's request id, at the database server's time as this PC knows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dairy_desktop.domain.audit import AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.services.dispose import dispose_once
from dairy_desktop.services.holds import hold_once, recall_once, release_once
from dairy_desktop.services.lifecycle_reads import orders_using
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.reverse import reverse_once
from dairy_desktop.ui.dialogs.lifecycle_calls import QaEntry, Recalled

if TYPE_CHECKING:
    from dairy_desktop.services.session import AppSession


@dataclass(frozen=True, slots=True)
class SessionCalls:
    session: AppSession

    def history(self, code: str) -> list[AuditEvent]:
        return self.session.history(code)

    def record_qa(
        self, code: str, entry: QaEntry, *, expected_version: int, request_id: str
    ) -> Batch:

        session = self.session
        return record_qa_once(
            session.database,
            code,
            test=entry.test,
            result=entry.result,
            analyst=entry.analyst,
            kit=entry.kit,
            sample_id=entry.sample_id,
            note=entry.note,
            actor=session.actor.for_action(request_id),
            expected_version=expected_version,
            now=session.now(),
        ).batch

    def hold(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Batch:

        session = self.session
        return hold_once(
            session.database,
            code,
            reason=reason,
            actor=session.actor.for_action(request_id),
            expected_version=expected_version,
            now=session.now(),
        ).batch

    def release(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Batch:

        session = self.session
        return release_once(
            session.database,
            code,
            reason=reason,
            actor=session.actor.for_action(request_id),
            expected_version=expected_version,
            now=session.now(),
        ).batch

    def recall(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Recalled:
        session = self.session
        changed = recall_once(
            session.database,
            code,
            reason=reason,
            actor=session.actor.for_action(request_id),
            expected_version=expected_version,
            now=session.now(),
        )
        return Recalled(changed.batch, tuple(orders_using(session.database, code)))

    def dispose(
        self,
        code: str,
        liters: str | None,
        *,
        reason_code: DisposeReason,
        note: str | None,
        expected_version: int,
        request_id: str,
    ) -> Batch:

        session = self.session
        return dispose_once(
            session.database,
            code,
            liters,
            reason_code=reason_code,
            note=note,
            actor=session.actor.for_action(request_id),
            expected_version=expected_version,
            now=session.now(),
        ).batch

    def reverse(
        self, event_id: int, reason: str, *, expected_version: int, request_id: str
    ) -> Batch:

        session = self.session
        return reverse_once(
            session.database,
            event_id,
            reason=reason,
            actor=session.actor.for_action(request_id),
            expected_version=expected_version,
            now=session.now(),
        ).batch
