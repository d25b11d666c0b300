"""Reasons and notes kept in the audit trail: required or optional, always storable text."""

from __future__ import annotations

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import MAX_REASON_LENGTH, require_storable_text


def _checked(text: str, *, field: str, label: str) -> str:
    value = require_storable_text(text, field=field, label=label).strip()
    if len(value) > MAX_REASON_LENGTH:
        raise InvalidInput(
            f"The {label} is too long ({len(value)} characters; at most {MAX_REASON_LENGTH}).",
            field=field,
        )
    return value


def required_reason(text: str, *, example: str = "sour on inspection") -> str:
    value = _checked(text, field="reason", label="reason")
    if not value:
        raise InvalidInput(f"A reason is required (e.g. '{example}').", field="reason")
    return value


def optional_note(text: str | None) -> str | None:
    if text is None:
        return None
    return _checked(text, field="note", label="note") or None
