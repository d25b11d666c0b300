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
    # Write litres off (domain.disposal); a rejected batch only as a rejected load.
    dispose: bool = False
    why_not_consume: str = ""  # completes "Batch X ..." when consume is refused


_USABLE = Allowance(consume=True, delete=True, restore=False, dispose=True)


def _blocked(why: str, *, dispose: bool = True) -> Allowance:
    return Allowance(
        consume=False, delete=True, restore=False, dispose=dispose, why_not_consume=why
    )


ALLOWANCES: dict[BatchStatus, Allowance] = {
    BatchStatus.FRESH: _USABLE,
    BatchStatus.NEAR_EXPIRY: _USABLE,
    BatchStatus.EXPIRES_TODAY: _USABLE,
    BatchStatus.EXPIRED: _blocked("has expired"),
    BatchStatus.EMPTY: _blocked("is empty", dispose=False),
    # A sample for the lab is taken while the batch waits; held milk can still be spilt.
    BatchStatus.PENDING_QA: _blocked("is awaiting QA release"),
    BatchStatus.ON_HOLD: _blocked("is on hold"),
    BatchStatus.REJECTED: _blocked("was rejected by QA"),
    BatchStatus.RECALLED: _blocked("is recalled"),
    BatchStatus.DELETED: Allowance(
        consume=False, delete=False, restore=True, why_not_consume="is deleted"
    ),
}


def allowance(status: BatchStatus) -> Allowance:
    return ALLOWANCES[status]


def can_consume(status: BatchStatus) -> bool:
    return ALLOWANCES[status].consume


def can_dispose(status: BatchStatus) -> bool:
    return ALLOWANCES[status].dispose


def why_not_consumable(status: BatchStatus) -> str | None:
    """ "has expired" / "is empty" / ... or None when the status allows consuming."""
    entry = ALLOWANCES[status]
    return None if entry.consume else entry.why_not_consume
