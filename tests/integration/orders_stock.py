"""Stock for the orders tests: batches expiring at chosen hours from a moment the test
fixes, and a snapshot of every batch and the audit trail to prove a refusal wrote nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dairy_desktop.db.database import Database
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.audit_trail import list_audit
from dairy_desktop.services.queries import list_batches
from tests.integration.helpers import register

ORDER = "ORDER-20251204-0001"
OTHER_ORDER = "ORDER-20251204-0002"


def code(number: int) -> str:
    return f"SCH-20251204-{number:04d}"


def at_hour(start: datetime, hours: float) -> datetime:
    return start + timedelta(hours=hours)


def batch_expiring(
    database: Database,
    number: int,
    liters: str,
    *,
    start: datetime,
    expires_in_days: int,
    received_days_ago: int = 0,
) -> Batch:
    """A released batch received `received_days_ago` whole days (and an hour) before `start`,
    kept so that it expires `expires_in_days` days after that: two batches with the same
    expiry and different receipt times differ in shelf life, as deliveries do."""
    received = start - timedelta(days=received_days_ago, hours=1)
    return register(
        database,
        code(number),
        liters,
        days=expires_in_days + received_days_ago,
        received=received,
    )


def now() -> datetime:
    return datetime.now(UTC)


def actor(request_id: str | None = None) -> Actor:
    return Actor(operator="ann", workstation="PC-1").for_action(request_id)


def state(database: Database) -> tuple[list[tuple[str, int, int]], int]:
    """Every batch's (code, remaining mL, version) and the number of audit events."""
    batches = list_batches(database, include_deleted=True).batches
    return sorted((b.code, b.remaining_ml, b.version) for b in batches), len(list_audit(database))
