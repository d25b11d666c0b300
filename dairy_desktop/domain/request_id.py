"""Request ids: the name a change travels under, so sending it twice records it once.

A script or scheduler may pick its own (`--request-id`) and re-send it after a failure;
otherwise the app makes one per user action.
"""

from __future__ import annotations

import re
import uuid

from dairy_desktop.domain.errors import InvalidInput

MAX_REQUEST_ID_LENGTH = 64
_ALLOWED = re.compile(r"[A-Za-z0-9._:-]{1,64}", re.ASCII)


def validate_request_id(text: str) -> str:
    """Return the id unchanged, or raise InvalidInput: 1-64 of A-Z a-z 0-9 . _ : -."""
    if _ALLOWED.fullmatch(text):
        return text
    shown = text if len(text) <= 40 else text[:40] + "…"
    raise InvalidInput(
        f"Request id {shown!a} is not valid: use 1-{MAX_REQUEST_ID_LENGTH} characters "
        "of A-Z a-z 0-9 . _ : - (for example nightly-2025-12-04.1).",
        field="request_id",
    )


def new_request_id() -> str:
    """A fresh id no other change has: 32 hex digits of a random UUID."""
    return uuid.uuid4().hex
