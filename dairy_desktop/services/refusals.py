"""Why a guarded change matched no row, told as a specific refusal.

The database guard decided; these only explain, from the batch as it is now (read in the
same transaction), in the words of domain.allowances: what the batch's status allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from dairy_desktop.domain.allowances import allowance, why_not_consumable
from dairy_desktop.domain.audit import REVERSIBLE, AuditAction, AuditEvent
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.errors import (
    BatchDeleted,
    BatchExpired,
    BatchNotDeleted,
    DairyError,
    NotEnoughLeft,
    NotFound,
    RuleRefused,
    VersionConflict,
)
from dairy_desktop.domain.liters import format_liters, to_milliliters
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.reservation import Reservation
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.reserved_litres import reserved_clause


def not_found(code: str) -> NotFound:
    return NotFound(f"No batch with code {code!r}. Check the code, or register the delivery first.")


def missing_or_stale(
    current: Batch | None, code: str, expected_version: int | None
) -> DairyError | None:
    """The refusals every guarded change shares: no such batch, or not the version seen."""
    if current is None:
        return not_found(code)
    if expected_version is not None and current.version != expected_version:
        return VersionConflict(expected_version, current)
    return None


def _status(batch: Batch, now: datetime) -> BatchStatus:
    # The plant's zone only places the expiry bands, and every band allows the same.
    return batch.status(now, UTC)


def refusal_for_consume(
    current: Batch | None,
    code: str,
    *,
    liters: Decimal,
    expected_version: int | None,
    now: datetime,
    order_id: str | None = None,
    reservations: Sequence[Reservation] = (),
) -> DairyError:
    """Explain a refused consume: missing, stale, a status that allows no consuming, or
    (a status that does) not enough left, or not enough that other orders have not
    reserved (`reservations`: the batch's, read just after; `order_id`'s own are its to
    take)."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    status = _status(current, now)
    why = why_not_consumable(status)
    reserved = reserved_clause(current, order_id, reservations)
    if why is None and reserved is not None and to_milliliters(liters) <= current.remaining_ml:
        # Rule, not shortage: the milk is there, but it belongs to other orders.
        return RuleRefused(
            f"Cannot take {format_liters(liters)} L from batch {code}: {reserved}. "
            "Nothing was consumed."
        )
    if why is None:
        return NotEnoughLeft(
            f"Cannot take {format_liters(liters)} L from batch {code}: only "
            f"{format_liters(current.remaining_liters)} L remain. Nothing was consumed."
        )
    refused = f"Batch {code} {why}"
    if status is BatchStatus.DELETED:
        return BatchDeleted(
            f"{refused}; nothing can be consumed from it. Restore it first if it was deleted "
            "by mistake."
        )
    if status is BatchStatus.EXPIRED:
        return BatchExpired(
            f"{refused} (at {current.expires_at:%Y-%m-%d %H:%M} UTC); expired milk cannot be "
            "used for production. Dispose of its litres (reason code expired). Nothing was "
            "consumed."
        )
    if status is BatchStatus.EMPTY:
        return NotEnoughLeft(f"{refused}: there is nothing left to take. Nothing was consumed.")
    return RuleRefused(
        f"{refused}; nothing can be consumed from it{_UNTIL.get(status, '')}. Nothing was consumed."
    )


# What would make a blocked batch usable again, said after "nothing can be consumed from it".
_UNTIL = {
    BatchStatus.PENDING_QA: " until every required lab test has passed (record the results "
    "with QA)",
    BatchStatus.ON_HOLD: " until the hold is released",
    BatchStatus.REJECTED: ", ever: rejected milk is only disposed of (reason code rejected-load)",
    BatchStatus.RECALLED: ", ever: a recall is final",
}


def refusal_for_lifecycle(
    current: Batch | None,
    code: str,
    *,
    delete: bool,
    expected_version: int | None,
    now: datetime,
) -> DairyError:
    """Explain a refused delete or restore: missing, stale, or not allowed in its status."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    allowed = allowance(_status(current, now))
    if delete and not allowed.delete:
        return BatchDeleted(f"Batch {code} is already deleted; nothing was changed.")
    if not delete and not allowed.restore:
        return BatchNotDeleted(f"Batch {code} is not deleted; there is nothing to restore.")
    return RuleRefused(f"Batch {code} could not be changed; nothing was changed.")


# --- The lifecycle's changes. Each guard decided on the batch's own facts (held, recalled,
# rejected, deleted), so each is explained from those facts in the status table's words
# ("is on hold", "is recalled", ...): a rejected batch that is also held is refused a second
# hold because it is held, whatever its status shows first.

_NOTHING = "Nothing was changed."


def _is(status: BatchStatus) -> str:
    """ "is on hold" / "is recalled" / ...: the status table's words for a blocked batch."""
    return allowance(status).why_not_consume


def _since(moment: datetime | None) -> str:
    return "" if moment is None else f" (since {moment:%Y-%m-%d %H:%M} UTC)"


def _unchangeable(code: str) -> RuleRefused:
    # Only when the guard and the batch as read disagree (another PC changed it in between).
    return RuleRefused(
        f"Batch {code} could not be changed just now; reload it and try again. {_NOTHING}"
    )


def refusal_for_qa(current: Batch | None, code: str, *, expected_version: int | None) -> DairyError:
    """Explain a refused lab result: missing, stale, deleted, recalled or already rejected."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    if current.is_deleted:
        return BatchDeleted(
            f"Batch {code} {_is(BatchStatus.DELETED)}; no lab result can be recorded for it. "
            f"Restore it first if it was deleted by mistake. {_NOTHING}"
        )
    if current.is_recalled:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.RECALLED)}{_since(current.recalled_at)}; a recall "
            f"is final, so no further lab result is recorded for it. {_NOTHING}"
        )
    if current.qa_state is QaState.REJECTED:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.REJECTED)}; a rejection is final, so no further "
            f"lab result is recorded. Dispose of it (reason code rejected-load). {_NOTHING}"
        )
    return _unchangeable(code)


def refusal_for_hold(
    current: Batch | None, code: str, *, expected_version: int | None
) -> DairyError:
    """Explain a refused hold: missing, stale, deleted, recalled or held already."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    if current.is_deleted:
        return BatchDeleted(
            f"Batch {code} {_is(BatchStatus.DELETED)}; a deleted batch cannot be put on hold. "
            f"Restore it first if it was deleted by mistake. {_NOTHING}"
        )
    if current.is_recalled:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.RECALLED)}{_since(current.recalled_at)}; a recall "
            f"is final and already stops all use, so it cannot be put on hold. {_NOTHING}"
        )
    if current.is_held:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.ON_HOLD)} already{_since(current.held_at)}. {_NOTHING}"
        )
    return _unchangeable(code)


def refusal_for_release(
    current: Batch | None, code: str, *, expected_version: int | None
) -> DairyError:
    """Explain a refused release of a hold: missing, stale, recalled or not held."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    if current.is_recalled:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.RECALLED)}{_since(current.recalled_at)}; a recall "
            f"is final, so it cannot be released. {_NOTHING}"
        )
    if not current.is_held:
        return RuleRefused(
            f"Batch {code} is not on hold; there is no hold to release (a QA release is "
            f"recorded as a passing lab result instead). {_NOTHING}"
        )
    return _unchangeable(code)


def refusal_for_recall(
    current: Batch | None, code: str, *, expected_version: int | None
) -> DairyError:
    """Explain a refused recall: missing, stale or recalled already."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    if current.is_recalled:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.RECALLED)} already{_since(current.recalled_at)}. "
            f"{_NOTHING}"
        )
    return _unchangeable(code)


def refusal_for_dispose(
    current: Batch | None,
    code: str,
    *,
    liters: Decimal | None,
    reason_code: DisposeReason,
    expected_version: int | None,
    reservations: Sequence[Reservation] = (),
) -> DairyError:
    """Explain a refused write-off: missing, stale, deleted, a reason that does not fit the
    batch (rejected-load is for rejected batches and only it is), too little left, or
    litres reserved for orders (`reservations`: the batch's, read just after)."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    rejected = current.qa_state is QaState.REJECTED
    if current.is_deleted:
        return BatchDeleted(
            f"Batch {code} {_is(BatchStatus.DELETED)}; its litres cannot be written off. "
            f"Restore it first if it was deleted by mistake. {_NOTHING}"
        )
    if rejected and reason_code is not DisposeReason.REJECTED_LOAD:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.REJECTED)}; its litres are written off only as a "
            f"rejected load: use reason code rejected-load. {_NOTHING}"
        )
    if not rejected and reason_code is DisposeReason.REJECTED_LOAD:
        return RuleRefused(
            f"Reason code rejected-load is only for a batch rejected by QA, and batch {code} "
            f"was not rejected; choose the reason that says what happened. {_NOTHING}"
        )
    if current.remaining_ml <= 0:
        return NotEnoughLeft(
            f"Batch {code} {_is(BatchStatus.EMPTY)}: there is nothing left to dispose of. "
            f"{_NOTHING}"
        )
    if liters is not None and to_milliliters(liters) > current.remaining_ml:
        return NotEnoughLeft(
            f"Cannot dispose of {format_liters(liters)} L from batch {code}: only "
            f"{format_liters(current.remaining_liters)} L remain (write off all that remain "
            f"instead). {_NOTHING}"
        )
    reserved = reserved_clause(current, None, reservations)
    wanted = current.remaining_ml if liters is None else to_milliliters(liters)
    if reserved is not None and wanted > current.available_ml:
        orders = sorted({r.order_id for r in reservations})
        how = f" (orders unreserve {orders[0]})" if orders else ""
        return RuleRefused(
            f"Cannot dispose of {_amount(liters)} from batch {code}: {reserved}; a write-off "
            f"never takes an order's litres: unreserve first{how}. {_NOTHING}"
        )
    return _unchangeable(code)


def _amount(liters: Decimal | None) -> str:
    return "all that remain" if liters is None else f"{format_liters(liters)} L"


def refusal_for_reserve(
    current: Batch | None,
    code: str,
    *,
    liters: Decimal,
    order_id: str,
    expected_version: int | None,
    now: datetime,
    reservations: Sequence[Reservation] = (),
) -> DairyError:
    """Explain a refused reserve: missing, stale, a status that allows no use (reserved
    litres are litres an order may take), or not that much unreserved."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    assert current is not None  # a missing batch was refused just above
    nothing = "Nothing was reserved."
    status = _status(current, now)
    why = why_not_consumable(status)
    if why is None:
        # An order's own reservation is not available to it again: count every order.
        reserved = reserved_clause(current, None, reservations)
        if reserved is None:
            reserved = f"only {format_liters(current.remaining_liters)} L remain"
        return NotEnoughLeft(
            f"Cannot reserve {format_liters(liters)} L of batch {code} for {order_id}: "
            f"{reserved}. {nothing}"
        )
    refused = f"Batch {code} {why}; its litres cannot be reserved"
    if status is BatchStatus.DELETED:
        return BatchDeleted(f"{refused}. Restore it first if it was deleted by mistake. {nothing}")
    if status is BatchStatus.EXPIRED:
        return BatchExpired(f"{refused} (expired milk is only disposed of). {nothing}")
    if status is BatchStatus.EMPTY:
        return NotEnoughLeft(f"{refused}: there is nothing left. {nothing}")
    return RuleRefused(f"{refused}{_UNTIL.get(status, '')}. {nothing}")


def refusal_for_unreserve(
    current: Batch | None, code: str, *, order_id: str, expected_version: int | None
) -> DairyError:
    """Explain a refused unreserve: missing, stale, or no reservation of that order."""
    shared = missing_or_stale(current, code, expected_version)
    if shared is not None:
        return shared
    return RuleRefused(
        f"Order {order_id} holds no reservation on batch {code}; there is nothing to let "
        f"go. {_NOTHING}"
    )


def no_such_event(event_id: int) -> NotFound:
    return NotFound(
        f"No audit event with id {event_id}. Check the id in the audit trail (`audit "
        "--batch CODE` lists a batch's events with their ids)."
    )


def refusal_for_reverse(
    current: Batch | None,
    event: AuditEvent | None,
    event_id: int,
    *,
    expected_version: int | None,
) -> DairyError:
    """Explain a refused reversal from the event and its batch as they are now: no such
    event, stale, not a consume or dispose, reversed already, or a deleted or recalled batch."""
    if event is None or current is None:
        return no_such_event(event_id)
    code = current.code
    if expected_version is not None and current.version != expected_version:
        return VersionConflict(expected_version, current)
    if event.action is AuditAction.REVERSE:
        return RuleRefused(
            f"Event {event_id} is itself a reversal (of event {event.reverses_id}); a reversal "
            "cannot be reversed. If the litres really left, consume or dispose of them again. "
            f"{_NOTHING}"
        )
    if event.action not in REVERSIBLE:
        return RuleRefused(
            f"Event {event_id} is a {event.action.value} of batch {code}; only a consume or a "
            f"dispose can be reversed. {_NOTHING}"
        )
    if event.reversed_by is not None:
        return RuleRefused(
            f"Event {event_id} ({event.action.value} of batch {code}) was already reversed by "
            f"event {event.reversed_by}; its litres are back already. {_NOTHING}"
        )
    if current.is_deleted:
        return BatchDeleted(
            f"Batch {code} {_is(BatchStatus.DELETED)}; litres cannot be put back into it. "
            f"Restore it first if it was deleted by mistake. {_NOTHING}"
        )
    if current.is_recalled:
        return RuleRefused(
            f"Batch {code} {_is(BatchStatus.RECALLED)}{_since(current.recalled_at)}; litres "
            f"are never put back into recalled milk. {_NOTHING}"
        )
    return _unchangeable(code)
