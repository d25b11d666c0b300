"""A realistic first-run data set spread across every status, so a new user sees the colours."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from dairy_desktop.domain.clock import start_of_local_day, utc_now
from dairy_desktop.domain.errors import DuplicateCode
from dairy_desktop.domain.qa import QaResult, QaState
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.plant_settings import get_plant_settings
from dairy_desktop.services.ports import Database
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.register import register_batch

# (supplier, band, position in band, shelf life days, litres, fat %, consumed, deleted).
# Bands: "expired" (hours ago), "today" (fraction of what is left of today), "near"
# (hours after tomorrow began), "fresh" (hours after the near-expiry horizon).
# Every change is recorded now, by the database's clock: an expired sample is therefore never
# consumed (that would have to be back-dated to before its expiry, i.e. before its register).
_SAMPLES: list[tuple[str, str, float, int, str, str, str | None, bool]] = [
    ("SCH", "expired", 30, 3, "4200.000", "3.80", None, False),
    ("MEY", "expired", 5, 2, "1850.250", "4.10", None, False),
    ("HOF", "today", 0.5, 3, "5200.000", "3.65", "2450.000", False),
    ("SCH", "today", 0.8, 4, "3100.750", "3.90", "100.000", False),
    ("BRU", "near", 10, 5, "6400.000", "3.70", "1800.000", False),
    ("MEY", "near", 34, 5, "2750.000", "4.20", None, False),
    ("HOF", "near", 58, 7, "4800.500", "3.55", "650.250", False),
    ("ALM", "fresh", 20, 7, "3900.000", "3.85", None, False),
    ("SCH", "fresh", 70, 10, "5600.000", "3.75", "1000.000", False),
    ("BRU", "fresh", 170, 14, "7200.000", "3.60", None, False),
    ("ALM", "near", 20, 5, "900.000", "3.95", "900.000", False),
    ("HOF", "fresh", 40, 6, "1500.000", "3.50", None, True),
]


def _expiry(band: str, position: float, now: datetime, zone: tzinfo, near_days: int) -> datetime:
    tomorrow = start_of_local_day(now, zone, plus_days=1)
    if band == "expired":
        return now - timedelta(hours=position)
    if band == "today":
        return now + (tomorrow - now) * position
    if band == "near":
        return tomorrow + timedelta(hours=position)
    return start_of_local_day(now, zone, plus_days=1 + near_days) + timedelta(hours=position)


def sample_code(prefix: str, day: datetime, number: int) -> str:
    return f"{prefix}-{day:%Y%m%d}-{number:04d}"


def _step(actor: Actor, number: int, step: str) -> Actor:
    """The actor for one of the action's many changes: each needs its own request id (one
    shared id would make every change after the first a replay of it), derived from the
    action's so that loading the samples again after a lost reply still adds nothing twice."""
    if actor.request_id is None:
        return actor
    return replace(actor, request_id=f"{actor.request_id[:50]}:{number}:{step}")


def load_sample_data(database: Database, actor: Actor, now: datetime | None = None) -> int:
    """Register the sample batches (skipping codes that exist); returns how many were added."""
    now = now or utc_now()
    settings = get_plant_settings(database)
    added = 0
    for number, sample in enumerate(_SAMPLES, 1):
        prefix, band, position, days, liters, fat, used, deleted = sample
        expires = _expiry(band, position, now, settings.zone, settings.near_expiry_days)
        received = expires - timedelta(days=days)
        if received > now:
            received = now
        code = sample_code(prefix, received, 9000 + number)
        try:
            registered = register_batch(
                database,
                code=code,
                liters=liters,
                shelf_life_days=days,
                received_at=received,
                fat_percent=fat,
                actor=_step(actor, number, "register"),
                now=now,
            )
        except DuplicateCode:
            continue
        added += 1
        if registered.batch.qa_state is QaState.PENDING:
            # With the QA release gate on, the lab's passes release it: the samples show
            # the expiry bands, not a table of batches awaiting QA.
            for index, test in enumerate(settings.required_tests):
                record_qa_once(
                    database,
                    code,
                    test=test,
                    result=QaResult.PASS,
                    analyst="Sample lab",
                    actor=_step(actor, number, f"qa{index}"),
                    now=now,
                )
        if used:
            consume(
                database,
                code,
                used,
                actor=_step(actor, number, "consume"),
                order_id=f"ORDER-{received:%Y%m%d}-{number:04d}",
                now=now,
            )
        if deleted:
            delete_batch(
                database,
                code,
                reason="Sample: failed the acidity test",
                actor=_step(actor, number, "delete"),
            )
    return added
