"""The audit event's lifecycle fields (migration 0005): set on qa, dispose and reverse
events, NULL elsewhere, and hashed only when one is set (domain.audit_chain)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.qa import QaRecord


@dataclass(frozen=True, slots=True)
class LifecycleFields:
    reason_code: str | None = None
    reverses_id: int | None = None
    qa_test: str | None = None
    qa_result: str | None = None
    qa_analyst: str | None = None
    qa_kit: str | None = None
    qa_sample_id: str | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return asdict(self)

    @classmethod
    def of_qa(cls, record: QaRecord) -> LifecycleFields:
        return cls(
            qa_test=record.test,
            qa_result=record.result.value,
            qa_analyst=record.analyst,
            qa_kit=record.kit,
            qa_sample_id=record.sample_id,
        )

    @classmethod
    def of_dispose(cls, reason_code: DisposeReason) -> LifecycleFields:
        return cls(reason_code=reason_code.value)

    @classmethod
    def of_reverse(cls, event_id: int) -> LifecycleFields:
        return cls(reverses_id=event_id)


NO_LIFECYCLE = LifecycleFields()
