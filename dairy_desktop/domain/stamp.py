"""Who made a change, from which PC, when, as part of which user action.

One value written twice in the same transaction: on the batch row (updated_at, updated_by,
updated_workstation) and on the change's audit event, so the two can never disagree. On
PostgreSQL `at` is only the PC's idea of the time: the database server's clock decides there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Stamp:
    at: datetime
    operator: str
    workstation: str
    correlation_id: str | None = None
    # The change's request id: stored under a unique constraint, so sending the same change
    # again (a retry after a lost reply) changes nothing. None: no exactly-once guard.
    request_id: str | None = None
