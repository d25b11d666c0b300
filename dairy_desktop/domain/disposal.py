"""Write-offs: why litres left stock other than into an order."""

from __future__ import annotations

from enum import StrEnum

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.reasons import optional_note
from dairy_desktop.domain.text import quoted


class DisposeReason(StrEnum):
    EXPIRED = "expired"
    SPILLAGE = "spillage"
    LAB_SAMPLE = "lab-sample"
    REJECTED_LOAD = "rejected-load"
    COUNT_CORRECTION = "count-correction"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DisposeReason.EXPIRED: "Expired",
    DisposeReason.SPILLAGE: "Spillage",
    DisposeReason.LAB_SAMPLE: "Lab sample",
    DisposeReason.REJECTED_LOAD: "Rejected load",
    DisposeReason.COUNT_CORRECTION: "Count correction",
    DisposeReason.OTHER: "Other (note required)",
}

REASON_CHOICES = ", ".join(reason.value for reason in DisposeReason)


def parse_dispose_reason(text: str | DisposeReason) -> DisposeReason:
    if isinstance(text, DisposeReason):
        return text
    try:
        return DisposeReason(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"Reason code {quoted(text)} is unknown: use one of {REASON_CHOICES}.",
            field="reason_code",
        ) from None


def validated_disposal(
    reason_code: str | DisposeReason, note: str | None
) -> tuple[DisposeReason, str | None]:
    """The reason code and its note; `other` says nothing by itself, so it needs a note."""
    reason = parse_dispose_reason(reason_code)
    text = optional_note(note)
    if reason is DisposeReason.OTHER and text is None:
        raise InvalidInput(
            "Reason code 'other' needs a note saying what happened to the milk.", field="note"
        )
    return reason, text
