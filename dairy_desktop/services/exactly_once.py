"""What became of a change whose reply was lost: look its request id up, and say so.

A change sent over a connection that then failed may or may not be recorded: the COMMIT
can reach the server and its reply be lost on the way back. Sending it again blindly
could record it twice; reporting failure could hide that it was recorded. So after such a
failure the app reconnects (for up to RECONNECT_FOR_S) and asks the audit trail whether
the change's request id is there:
- landed: it was recorded once; the change is re-sent with the same id, which records
  nothing and returns the first result ("confirmed after the connection dropped");
- still running: the server is still executing the statement (it was waiting for a row
  lock when the connection went, and the server does not notice that until it answers):
  it may yet commit, so the app keeps asking; still running at the end is OutcomeUnknown;
- not landed: DatabaseUnavailable, saying that nothing was recorded and to retry with the
  same request id (which can then never apply the change twice);
- the server cannot be reached to ask: OutcomeUnknown (exit 7), naming the audit command
  that will tell later.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from dairy_desktop.domain.change import Changed
from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.errors import DatabaseUnavailable, OutcomeUnknown
from dairy_desktop.services.audit_trail import event_for_request
from dairy_desktop.services.ports import Database

RECONNECT_FOR_S = 10.0
RETRY_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    changed: Changed
    # The reply was lost and the audit trail showed the change had been recorded.
    confirmed_after_drop: bool = False

    def notes(self) -> list[str]:
        """What to tell the operator beside the result (stderr for the CLI)."""
        event = self.changed.event
        if self.changed.replayed:
            return [
                f"already recorded at {iso_z(event.at)} (request id {event.request_id}); "
                "nothing was changed this time"
            ]
        if self.confirmed_after_drop:
            return [
                "the connection dropped after the change was sent; confirmed after the "
                f"connection dropped: recorded once at {iso_z(event.at)} "
                f"(request id {event.request_id})"
            ]
        return []


def exactly_once(
    database: Database,
    request_id: str,
    send: Callable[[], Changed],
    *,
    correlation_id: str | None = None,
    reconnect_for_s: float = RECONNECT_FOR_S,
    retry_every_s: float = RETRY_EVERY_S,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Outcome:
    """Run `send` (a *_once change carrying `request_id`) and settle what became of it.

    `correlation_id` is this action's own: a "replay" of an event it wrote is this same
    action's change, confirmed (the database layer re-sent it over a fresh connection after
    a pooled one died under it), not an earlier one's.
    """
    try:
        changed = send()
    except DatabaseUnavailable as error:
        lost = error
    else:
        own = correlation_id is not None and changed.event.correlation_id == correlation_id
        if changed.replayed and own:
            return Outcome(dataclasses.replace(changed, replayed=False), confirmed_after_drop=True)
        return Outcome(changed)
    deadline = clock() + reconnect_for_s
    while True:
        try:
            verdict = _settle(database, request_id, send)
        except DatabaseUnavailable:
            verdict = _Pending.UNREACHABLE
        if isinstance(verdict, Changed):
            return Outcome(dataclasses.replace(verdict, replayed=False), confirmed_after_drop=True)
        if verdict is None:
            raise DatabaseUnavailable(
                f"{_without_advice(lost)}; nothing was recorded (request id {request_id} is "
                "not in the audit trail and the server is not running it), so it is safe to "
                f"try again with the same --request-id {request_id} (a retry with it can "
                "never be recorded twice)."
            ) from lost
        if clock() + retry_every_s > deadline:
            raise OutcomeUnknown(request_id, verdict.value) from lost
        sleep(retry_every_s)


class _Pending(Enum):
    """Why the change's fate is not known yet, in OutcomeUnknown's words."""

    UNREACHABLE = "the database could not be reached to confirm the change"
    RUNNING = (
        "the database server was still running the change (waiting for another change to "
        "the batch) when the app stopped waiting for it"
    )


def _settle(
    database: Database, request_id: str, send: Callable[[], Changed]
) -> Changed | _Pending | None:
    """The change confirmed (recorded once: the same id again records nothing and returns
    that result), None if it was not recorded, or why that cannot be told yet."""
    # Asked before the audit trail: a statement still running may commit just after a
    # look-up found nothing, but one seen finished has committed or never will.
    if database.change_in_flight(request_id):
        return _Pending.RUNNING
    if event_for_request(database, request_id) is None:
        return None
    return send()


def _without_advice(error: DatabaseUnavailable) -> str:
    """The failure's own words, without its closing "then try again" advice."""
    text = str(error).rstrip(".")
    for advice in (". Check that the database server is running and reachable, then try again",):
        text = text.removesuffix(advice)
    return text
