"""The audit trail's hash chain: what an event's hash covers, and how it is computed.

Each batch's events form one chain: an event's hash covers its own content and the hash of
the batch's previous event (GENESIS for the first). Editing, deleting or inserting an event
breaks the chain from there on; `audit verify` recomputes it.

The canonical form is deliberately easy to reproduce in SQL (PostgreSQL computes it inside
the statement that makes the change): every field is written as ``<length>:<text>`` (length
in characters), NULL as ``~``, fields concatenated in FIELDS order. No escaping is needed
because each field says how long it is. Instants are UTC with microseconds, e.g.
``2025-12-04T07:30:00.000000Z`` (PostgreSQL: ``to_char(at AT TIME ZONE 'UTC',
'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')``); days are ISO dates (``2025-12-04``); integers are
plain decimal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

GENESIS = "0" * 64

# The order in which the fields enter the hash; part of the stored format, never reorder.
FIELDS = (
    "batch_code",
    "action",
    "at",
    "liters_ml",
    "remaining_after_ml",
    "version_after",
    "order_id",
    "operator",
    "workstation",
    "reason",
    "request_id",
    "db_user",
    "prev_hash",
)
# Added with the lifecycle actions. They enter the hash only when one of them is set, so
# every event stored before them keeps its hash; an event that has one is hashed over all.
# qa_state_after is set on every register event written since (pending or released), so
# those are hashed over all of them too.
LIFECYCLE_FIELDS = (
    "reason_code",
    "reverses_id",
    "qa_test",
    "qa_result",
    "qa_analyst",
    "qa_kit",
    "qa_sample_id",
    "qa_state_after",
)
# Added with reservations (migration 0006): set on reserve events only. It enters the hash
# only when set, after the lifecycle fields (all of them, NULL or not, so each field keeps
# its place), so every event stored before it keeps its hash.
RESERVATION_FIELDS = ("reserved_for",)


@dataclass(frozen=True, slots=True)
class ChainedContent:
    """The part of an audit event its hash covers."""

    batch_code: str
    action: str
    at: datetime
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int
    order_id: str | None
    operator: str
    workstation: str
    reason: str | None
    request_id: str | None
    db_user: str | None
    prev_hash: str
    reason_code: str | None = None
    reverses_id: int | None = None
    qa_test: str | None = None
    qa_result: str | None = None
    qa_analyst: str | None = None
    qa_kit: str | None = None
    qa_sample_id: str | None = None
    qa_state_after: str | None = None
    reserved_for: date | None = None


def format_instant(at: datetime) -> str:
    if at.utcoffset() is None:
        raise ValueError(f"naive datetime {at!r}: the chain covers instants only")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _field(value: str | int | None) -> str:
    if value is None:
        return "~"
    text = str(value)
    return f"{len(text)}:{text}"


def canonical(content: ChainedContent) -> str:
    values: Sequence[str | int | None] = (
        content.batch_code,
        content.action,
        format_instant(content.at),
        content.liters_ml,
        content.remaining_after_ml,
        content.version_after,
        content.order_id,
        content.operator,
        content.workstation,
        content.reason,
        content.request_id,
        content.db_user,
        content.prev_hash,
    )
    lifecycle: Sequence[str | int | None] = (
        content.reason_code,
        content.reverses_id,
        content.qa_test,
        content.qa_result,
        content.qa_analyst,
        content.qa_kit,
        content.qa_sample_id,
        content.qa_state_after,
    )
    if content.reserved_for is not None:
        values = (*values, *lifecycle, content.reserved_for.isoformat())
    elif any(value is not None for value in lifecycle):
        values = (*values, *lifecycle)
    return "".join(_field(value) for value in values)


def event_hash(content: ChainedContent) -> str:
    """Lower-case hex SHA-256 of the canonical form, UTF-8 encoded."""
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()
