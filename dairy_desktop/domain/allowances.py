"""What each status allows: the one table the database guard, the window and the CLI follow.

A status names what a batch *is*; this table says what may be *done* with it. Adding a status
(held, rejected, recalled, ...) means adding one row here, and every caller follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from dairy_desktop.domain.status import BatchStatus


@dataclass(frozen=True, slots=True)
class Allowance:
    consume: bool
    delete: bool
    restore: bool
    why_not_consume: str = ""  # completes "Batch X ..." when consume is refused


ALLOWANCES: dict[BatchStatus, Allowance] = {
    BatchStatus.FRESH: Allowance(consume=True, delete=True, restore=False),
    BatchStatus.NEAR_EXPIRY: Allowance(consume=True, delete=True, restore=False),
    BatchStatus.EXPIRES_TODAY: Allowance(consume=True, delete=True, restore=False),
    BatchStatus.EXPIRED: Allowance(
        consume=False, delete=True, restore=False, why_not_consume="has expired"
    ),
    BatchStatus.EMPTY: Allowance(
        consume=False, delete=True, restore=False, why_not_consume="is empty"
    ),
    BatchStatus.DELETED: Allowance(
        consume=False, delete=False, restore=True, why_not_consume="is deleted"
    ),
}


def allowance(status: BatchStatus) -> Allowance:
    return ALLOWANCES[status]


def can_consume(status: BatchStatus) -> bool:
    return ALLOWANCES[status].consume


def why_not_consumable(status: BatchStatus) -> str | None:
    """ "has expired" / "is empty" / ... or None when the status allows consuming."""
    entry = ALLOWANCES[status]
    return None if entry.consume else entry.why_not_consume
