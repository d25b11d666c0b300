"""One request id for a change of several batches.

Request ids are unique per audit event, so a change that writes one event per batch gives
line n the id "R:n" and every line the correlation id R: the audit trail groups them, and
sending R again finds "R:1" and replays every line instead of writing any (the lines commit
together or not at all, so "R:1" recorded means all of them are).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.change import Changed, batch_after
from dairy_desktop.domain.clock import iso_z
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.request_id import MAX_REQUEST_ID_LENGTH, new_request_id
from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.orders_lines import MAX_LINES
from dairy_desktop.services.ports import UnitOfWork

# Room for ":999" after the shared id.
MAX_SHARED_REQUEST_ID = MAX_REQUEST_ID_LENGTH - len(f":{MAX_LINES}")


def shared_request_id(actor: Actor) -> str:
    """The actor's request id (a fresh one if it has none), short enough for ":N"."""
    request_id = actor.request_id or new_request_id()
    if len(request_id) > MAX_SHARED_REQUEST_ID:
        raise InvalidInput(
            f"Request id {request_id[:40]!a}… is {len(request_id)} characters; a change of "
            f"several batches takes one of at most {MAX_SHARED_REQUEST_ID} (each batch's "
            "event adds :N to it).",
            field="request_id",
        )
    return request_id


def line_request_id(request_id: str, number: int) -> str:
    return f"{request_id}:{number}"


@dataclass(frozen=True, slots=True)
class LineStamps:
    """The stamps of one change's lines: who, from which PC, when, under request id R."""

    actor: Actor
    request_id: str
    at: datetime

    def stamp(self, number: int) -> Stamp:
        return Stamp(
            self.at,
            self.actor.operator,
            self.actor.workstation,
            self.request_id,
            line_request_id(self.request_id, number),
        )


def recorded_lines(
    uow: UnitOfWork,
    request_id: str,
    action: AuditAction,
    order_id: str,
    *,
    total_ml: int | None,
) -> tuple[Changed, ...]:
    """The lines already recorded under `request_id` (each replayed: nothing changes), in
    their order; () when none is. InvalidInput when the id was used for something else
    (another action or order, other litres, or a change of one batch)."""
    single = uow.audit.event_for_request(request_id)
    if single is not None:
        raise _used_for(request_id, single)
    events: list[AuditEvent] = []
    while len(events) < MAX_LINES:
        event = uow.audit.event_for_request(line_request_id(request_id, len(events) + 1))
        if event is None:
            break
        events.append(event)
    if not events:
        return ()
    for event in events:
        if event.action is not action or event.order_id != order_id:
            raise _used_for(request_id, event)
    if total_ml is not None and sum(event.liters_ml or 0 for event in events) != total_ml:
        raise InvalidInput(
            f"request id {request_id} was already used for {action.value} of other litres "
            f"for {order_id} at {iso_z(events[0].at)}; use a new request id",
            field="request_id",
        )
    return tuple(_replayed(uow, event) for event in events)


def _replayed(uow: UnitOfWork, event: AuditEvent) -> Changed:
    current = uow.batches.get_by_code(event.batch_code)
    if current is None:
        # Events reference their batch and batches are never removed: a broken database.
        raise RuntimeError(f"an event of batch {event.batch_code} outlived the batch")
    return Changed(batch_after(event, current), event, replayed=True)


def _used_for(request_id: str, event: AuditEvent) -> InvalidInput:
    whose = f" for {event.order_id}" if event.order_id else ""
    return InvalidInput(
        f"request id {request_id} was already used for {event.action.value} of "
        f"{event.batch_code}{whose} at {iso_z(event.at)}; use a new request id",
        field="request_id",
    )
