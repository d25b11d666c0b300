"""Free text that is stored (reasons, operator names): must be valid Unicode. And how any
typed value is quoted back in a message: cut short, control characters made visible."""

from __future__ import annotations

from dairy_desktop.domain.errors import InvalidInput

MAX_REASON_LENGTH = 500
# A message quotes at most this much of what was typed: enough to recognise it, never a
# screenful of a pasted file.
MAX_ECHO = 40


def quoted(text: str, limit: int = MAX_ECHO) -> str:
    """`text` quoted for a message: at most `limit` characters of it, then '…'; escapes
    for anything unprintable or undecodable, so one message stays one line."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    return ascii(shown) if not shown.isprintable() else repr(shown)


def require_storable_text(text: str, *, field: str, label: str) -> str:
    """Refuse text that cannot be stored as UTF-8 (e.g. undecodable command-line bytes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"The {label} contains bytes that are not valid text ({quoted(text)}); retype it.",
            field=field,
        ) from None
    if "\x00" in text:
        raise InvalidInput(f"The {label} contains a NUL character; retype it.", field=field)
    return text
