"""An in-memory stand-in for the lifecycle dialogs' calls: it keeps one batch per code, applies
the version rule like the database (a stale expected_version is a VersionConflict carrying
the batch as it is), and raises a refusal a test has queued."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.errors import VersionConflict
from dairy_desktop.domain.liters import parse_liters, to_milliliters
from dairy_desktop.domain.qa import QaResult, QaState
from dairy_desktop.ui.dialogs.lifecycle_calls import QaEntry, Recalled
from tests.support.factories import make_batch, make_event

NOW = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)


def batch(code: str = "SCH-20251204-0001", **changes: object) -> Batch:
    made = make_batch(code, NOW + timedelta(days=3), remaining_ml=100_000)
    return dataclasses.replace(made, **changes)  # type: ignore[arg-type]


class FakeCalls:
    def __init__(self, *batches: Batch, events: list[AuditEvent] | None = None) -> None:
        self.batches = {b.code: b for b in batches}
        self.events: list[AuditEvent] = list(events or [])
        self.sent: list[tuple[str, tuple[object, ...], dict[str, object]]] = []
        self.refusal: BaseException | None = None  # raised by the next change

    # what other PCs do meanwhile
    def changed_elsewhere(self, code: str, **changes: object) -> Batch:
        current = self.batches[code]
        changed = dataclasses.replace(
            current,
            version=current.version + 1,
            updated_by="jonas",
            updated_workstation="OFFICE-PC-2",
            **changes,  # type: ignore[arg-type]
        )
        self.batches[code] = changed
        return changed

    def _change(self, name: str, code: str, version: int, *args: object, **kw: object) -> Batch:
        self.sent.append((name, (code, *args), {"expected_version": version, **kw}))
        if self.refusal is not None:
            refusal, self.refusal = self.refusal, None
            raise refusal
        current = self.batches[code]
        if current.version != version:
            raise VersionConflict(version, current)
        return current

    def _bump(self, current: Batch, action: AuditAction, **changes: object) -> Batch:
        changed = dataclasses.replace(
            current,
            version=current.version + 1,
            updated_by="maria",
            **changes,  # type: ignore[arg-type]
        )
        self.batches[current.code] = changed
        self.events.append(make_event(changed, action, NOW, id=len(self.events) + 1))
        return changed

    def history(self, code: str) -> list[AuditEvent]:
        return [e for e in self.events if e.batch_code == code]

    def record_qa(
        self, code: str, entry: QaEntry, *, expected_version: int, request_id: str
    ) -> Batch:
        current = self._change("qa", code, expected_version, entry, request_id=request_id)
        state = QaState.REJECTED if entry.result == QaResult.FAIL else QaState.RELEASED
        return self._bump(current, AuditAction.QA, qa_state=state)

    def hold(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Batch:
        current = self._change("hold", code, expected_version, reason, request_id=request_id)
        return self._bump(current, AuditAction.HOLD, held_at=NOW)

    def release(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Batch:
        current = self._change("release", code, expected_version, reason, request_id=request_id)
        return self._bump(current, AuditAction.RELEASE, held_at=None)

    def recall(self, code: str, reason: str, *, expected_version: int, request_id: str) -> Recalled:
        current = self._change("recall", code, expected_version, reason, request_id=request_id)
        changed = self._bump(current, AuditAction.RECALL, recalled_at=NOW)
        uses = [e for e in self.history(code) if e.action is AuditAction.CONSUME]
        return Recalled(changed, tuple(uses))

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
        current = self._change(
            "dispose",
            code,
            expected_version,
            liters,
            reason_code=reason_code,
            note=note,
            request_id=request_id,
        )
        taken = current.remaining_ml if liters is None else to_milliliters(parse_liters(liters))
        return self._bump(current, AuditAction.DISPOSE, remaining_ml=current.remaining_ml - taken)

    def reverse(
        self, event_id: int, reason: str, *, expected_version: int, request_id: str
    ) -> Batch:
        original = next(e for e in self.events if e.id == event_id)
        current = self._change(
            "reverse",
            original.batch_code,
            expected_version,
            event_id,
            reason,
            request_id=request_id,
        )
        back = original.liters_ml or 0
        return self._bump(current, AuditAction.REVERSE, remaining_ml=current.remaining_ml + back)
