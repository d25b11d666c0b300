"""Free text that is stored (reasons, operator names): must be valid Unicode."""

from __future__ import annotations

from dairy_desktop.domain.errors import InvalidInput

MAX_REASON_LENGTH = 500


def require_storable_text(text: str, *, field: str, label: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (e.g. undecodable command-line bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"The {label} contains bytes that are not valid text ({ascii(text)[:60]}); retype it.",
            field=field,
        ) from None
    if "\x00" in text:
        raise InvalidInput(f"The {label} contains a NUL character; retype it.", field=field)
    return text
