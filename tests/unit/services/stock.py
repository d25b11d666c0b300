"""Batches put in a given status through the use cases, on any Database (fake or real)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume
from dairy_desktop.services.holds import hold_once, recall_once
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.ports import Database
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.register import register_batch

# 08:00 UTC: today (UTC) ends in 16 h; near expiry (3 days) ends 3 days after that.
NOW = datetime(2025, 12, 4, 8, 0, tzinfo=UTC)
ANN = Actor(operator="ann", workstation="PC-1", correlation_id="ann-action")
BOB = Actor(operator="bob", workstation="PC-2", correlation_id="bob-action")

# status -> (received before NOW, shelf life in days)
_RECEIVED = {
    BatchStatus.FRESH: (timedelta(hours=1), 10),
    BatchStatus.NEAR_EXPIRY: (timedelta(hours=1), 2),
    BatchStatus.EXPIRES_TODAY: (timedelta(hours=20), 1),
    BatchStatus.EXPIRED: (timedelta(days=2), 1),
    BatchStatus.EMPTY: (timedelta(hours=1), 10),
    BatchStatus.DELETED: (timedelta(hours=1), 10),
    BatchStatus.PENDING_QA: (timedelta(hours=1), 10),
    BatchStatus.ON_HOLD: (timedelta(hours=1), 10),
    BatchStatus.REJECTED: (timedelta(hours=1), 10),
    BatchStatus.RECALLED: (timedelta(hours=1), 10),
}


def live_now() -> datetime:
    """The real time, to the minute: what stock on PostgreSQL must be made at, because the
    server's clock (not a test's NOW) decides there whether a batch may still be consumed."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def zone_at_eight(now: datetime) -> tzinfo:
    """A fixed-offset zone in which `now` is 08:00, so "today" has 16 h left there and the
    bands in _RECEIVED land where their names say whatever the real time of day (UTC for
    NOW itself)."""
    since_midnight = now - now.replace(hour=0, minute=0, second=0, microsecond=0)
    return timezone(timedelta(hours=8) - since_midnight)


def code(number: int) -> str:
    return f"SCH-20251204-{number:04d}"


def register(
    database: Database,
    number: int = 1,
    liters: str = "1000",
    *,
    ago: timedelta,
    days: int,
    now: datetime = NOW,
) -> Batch:
    return register_batch(
        database,
        code=code(number),
        liters=liters,
        shelf_life_days=days,
        received_at=now - ago,
        actor=ANN,
        now=now,
    ).batch


def batch_in(
    database: Database, status: BatchStatus, number: int = 1, *, now: datetime = NOW
) -> Batch:
    """A 10 L batch that is in `status` at `now` (checked, so a test never tests the wrong
    one), in the zone where `now` is 08:00."""
    ago, days = _RECEIVED[status]
    if status is BatchStatus.PENDING_QA:
        # Registered while the plant requires a QA release; the gate goes back off after.
        _put_setting(database, "qa_release_required", "true", now)
        batch = register(database, number, "10", ago=ago, days=days, now=now)
        _put_setting(database, "qa_release_required", "false", now)
    else:
        batch = register(database, number, "10", ago=ago, days=days, now=now)
    if status is BatchStatus.REJECTED:
        batch = record_qa_once(
            database, batch.code, test="beta-lactam", result="fail", analyst="lab", actor=ANN,
            now=now,
        ).batch  # fmt: skip
    if status is BatchStatus.ON_HOLD:
        batch = hold_once(database, batch.code, reason="lab query", actor=ANN, now=now).batch
    if status is BatchStatus.RECALLED:
        batch = recall_once(database, batch.code, reason="notice", actor=ANN, now=now).batch
    if status is BatchStatus.EMPTY:
        batch = consume(database, batch.code, "10", actor=ANN, now=now)
    if status is BatchStatus.DELETED:
        batch = delete_batch(database, batch.code, reason="sour", actor=ANN, now=now)
    assert batch.status(now, zone_at_eight(now)) is status
    return batch


def _put_setting(database: Database, key: str, value: str, now: datetime) -> None:
    with database.unit_of_work(write=True) as uow:
        uow.settings.put(key, value, at=now, by="test")
        uow.commit()


def fresh(database: Database, number: int = 1, liters: str = "1000") -> Batch:
    """A batch received an hour ago with five days' shelf life: usable all through a test."""
    return register(database, number, liters, ago=timedelta(hours=1), days=5)
