"""A request id replays only the change it was first sent with.

A known request id changes nothing and returns the first result: right for a retry of the
same change, wrong for a different one that reuses the id (a script's copy-paste), which
would otherwise "succeed" having done nothing. So a replay is compared with what was sent
and a mismatch is refused.
"""

from __future__ import annotations

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.errors import InvalidInput

# Request ids and codes are short already; this only bounds what a message echoes.
_ECHO = 80


def same_change_or_refuse(
    changed: Changed, action: AuditAction, code: str | None, **sent: object
) -> Changed:
    """`changed` unless it replays an event that differs from the change sent: `action` on
    `code`, and each of `sent` (AuditEvent field names: liters_ml, order_id, reason,
    reverses_id, qa_test, ...) as given. A difference is InvalidInput naming what the id
    was used for. `code` None: the change named no batch (a reversal names an event, which
    `reverses_id` compares)."""
    if not changed.replayed:
        return changed
    event = changed.event
    wanted: dict[str, object] = {"action": action, **sent}
    if code is not None:
        wanted["batch_code"] = code
    if all(getattr(event, name) == value for name, value in wanted.items()):
        return changed
    request_id = _clipped(event.request_id or "")
    raise InvalidInput(
        f"request id {request_id} was already used for {event.action.value} of "
        f"{_clipped(event.batch_code)} at {iso_z(event.at)}; use a new request id",
        field="request_id",
    )


def _clipped(text: str) -> str:
    """At most _ECHO characters (both values were checked against a pattern when stored)."""
    return text if len(text) <= _ECHO else text[:_ECHO] + "…"
