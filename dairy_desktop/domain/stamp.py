"""Who made a change, from which PC, when, as part of which user action.

One value written twice in the same transaction: on the batch row (updated_at, updated_by,
updated_workstation) and on the change's audit event, so the two can never disagree.
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
