"""After the run, straight from the tables: did the workstations leave a consistent database?

Reads batches and audit events of this run only (codes and workstation names carry the run
number), in one transaction, with plain SQL through the models: not through the services
under test, whose bugs it is meant to catch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import func, select

from dairy_desktop.db.models import AuditEventRow, BatchRow
from dairy_desktop.domain.liters import format_liters, from_milliliters
from dairy_desktop.services.database import Database
from dairy_desktop.simulate.codes import SETUP_WORKSTATION, workstation_name
from dairy_desktop.simulate.tally import Tally

MAX_SHOWN = 5  # offending batches or workstations named per failed check


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class _Batch:
    code: str
    initial_ml: int
    remaining_ml: int
    version: int


@dataclass(frozen=True)
class _Event:
    action: str
    liters_ml: int | None
    remaining_after_ml: int
    version_after: int


def _liters(milliliters: int) -> str:
    sign = "-" if milliliters < 0 else ""
    return f"{sign}{format_liters(from_milliliters(abs(milliliters)))} L"


def _verdict(name: str, problems: list[str], ok: str) -> Check:
    if not problems:
        return Check(name, True, ok)
    more = f" (and {len(problems) - MAX_SHOWN} more)" if len(problems) > MAX_SHOWN else ""
    return Check(name, False, "; ".join(problems[:MAX_SHOWN]) + more)


def check_database(
    database: Database, run: str, tallies: list[Tally], *, seeded: int, missing: dict[str, str]
) -> list[Check]:
    with database.unit_of_work() as uow:
        batch_rows = uow.session.execute(
            select(
                BatchRow.id,
                BatchRow.code,
                BatchRow.initial_ml,
                BatchRow.remaining_ml,
                BatchRow.version,
            ).where(BatchRow.code.like(f"{run}-%"))
        ).all()
        event_rows = uow.session.execute(
            select(
                AuditEventRow.batch_id,
                AuditEventRow.action,
                AuditEventRow.liters_ml,
                AuditEventRow.remaining_after_ml,
                AuditEventRow.version_after,
            )
            .join(BatchRow, BatchRow.id == AuditEventRow.batch_id)
            .where(BatchRow.code.like(f"{run}-%"))
            .order_by(AuditEventRow.batch_id, AuditEventRow.id)
        ).all()
        per_workstation = uow.session.execute(
            select(
                AuditEventRow.workstation,
                AuditEventRow.action,
                func.count(),
                func.coalesce(func.sum(AuditEventRow.liters_ml), 0),
            )
            .where(AuditEventRow.workstation.like(f"{run}-%"))
            .group_by(AuditEventRow.workstation, AuditEventRow.action)
        ).all()
    batches = {
        row.id: _Batch(row.code, row.initial_ml, row.remaining_ml, row.version)
        for row in batch_rows
    }
    events: dict[int, list[_Event]] = defaultdict(list)
    for row in event_rows:
        events[row.batch_id].append(
            _Event(row.action, row.liters_ml, row.remaining_after_ml, row.version_after)
        )
    audited = {(row[0], row[1]): (int(row[2]), int(row[3] or 0)) for row in per_workstation}
    return [
        _no_negative(batches),
        _consumed_adds_up(batches, events),
        _versions_increase(batches, events),
        _audit_replays(batches, events),
        _events_match_counts(run, tallies, audited, seeded),
        _all_reported(tallies, missing),
    ]


def _no_negative(batches: dict[int, _Batch]) -> Check:
    problems = [
        f"batch {b.code} has {_liters(b.remaining_ml)} left"
        for b in batches.values()
        if b.remaining_ml < 0
    ]
    return _verdict("no batch below zero", problems, f"{len(batches)} batches, none below zero")


def _consumed_adds_up(batches: dict[int, _Batch], events: dict[int, list[_Event]]) -> Check:
    problems = []
    for batch_id, b in batches.items():
        consumed = sum(e.liters_ml or 0 for e in events[batch_id] if e.action == "consume")
        if b.initial_ml - consumed != b.remaining_ml:
            problems.append(
                f"batch {b.code}: initial {_liters(b.initial_ml)} − consumed {_liters(consumed)} "
                f"in the audit = {_liters(b.initial_ml - consumed)}, but "
                f"{_liters(b.remaining_ml)} remain"
            )
    return _verdict(
        "initial − Σ consumed = remaining",
        problems,
        f"holds for all {len(batches)} batches",
    )


def _versions_increase(batches: dict[int, _Batch], events: dict[int, list[_Event]]) -> Check:
    problems = []
    for batch_id, b in batches.items():
        versions = [e.version_after for e in events[batch_id]]
        if not versions:
            problems.append(f"batch {b.code} has no audit event at all")
            continue
        steps = list(pairwise(versions))
        if any(after <= before for before, after in steps):
            problems.append(f"batch {b.code}: versions in the audit go {versions[:12]}")
        elif versions[0] != 1 or any(after != before + 1 for before, after in steps):
            problems.append(
                f"batch {b.code}: versions in the audit skip ({versions[:12]}): a change "
                "without its audit event"
            )
        if versions[-1] != b.version:
            problems.append(
                f"batch {b.code} is at version {b.version} but its last audit event says "
                f"{versions[-1]}"
            )
    return _verdict(
        "versions strictly increasing per batch",
        problems,
        "1, 2, 3 … up to the batch's version for every batch",
    )


def _audit_replays(batches: dict[int, _Batch], events: dict[int, list[_Event]]) -> Check:
    """Replaying each batch's events from the register gives each event's remaining_after."""
    problems = []
    for batch_id, b in batches.items():
        remaining: int | None = None
        for number, event in enumerate(events[batch_id], start=1):
            if event.action == "register":
                expected = event.liters_ml
            elif event.action == "consume":
                expected = None if remaining is None else remaining - (event.liters_ml or 0)
            else:
                expected = remaining
            if expected != event.remaining_after_ml:
                problems.append(
                    f"batch {b.code}: audit event {number} ({event.action}) says "
                    f"{_liters(event.remaining_after_ml)} remained, the events before it "
                    f"give {'nothing' if expected is None else _liters(expected)}"
                )
                break
            remaining = event.remaining_after_ml
    return _verdict(
        "audit trail replays to every event's remaining volume",
        problems,
        f"{sum(len(v) for v in events.values())} events replayed",
    )


def _events_match_counts(
    run: str, tallies: list[Tally], audited: dict[tuple[str, str], tuple[int, int]], seeded: int
) -> Check:
    """Exactly one audit event per success a workstation counted, none for refusals or
    conflicts; where the database vanished mid-call the outcome is unknown, so either is fine."""
    problems = []
    setup = workstation_name(run, SETUP_WORKSTATION)
    expected: dict[str, tuple[Counter[str], Counter[str], int | None]] = {
        setup: (Counter(register=seeded), Counter(), None)
    }
    for tally in tallies:
        done, maybe = tally.audited_counts()
        expected[tally.workstation] = (done, maybe, None if maybe else tally.consumed_ml)
    for name, (done, maybe, consumed_ml) in sorted(expected.items()):
        for action in ("register", "consume", "delete", "restore"):
            found = audited.get((name, action), (0, 0))[0]
            low, high = done[action], done[action] + maybe[action]
            if not low <= found <= high:
                counted = str(low) if low == high else f"{low}–{high}"
                problems.append(f"{name} {action}: counted {counted}, audit has {found}")
        found_ml = audited.get((name, "consume"), (0, 0))[1]
        if consumed_ml is not None and found_ml != consumed_ml:
            problems.append(
                f"{name} consumed {_liters(consumed_ml)}, its audit events say {_liters(found_ml)}"
            )
    strangers = sorted({name for name, _ in audited} - set(expected))
    problems += [f"{name} has audit events but did not report" for name in strangers]
    total = sum(count for count, _ in audited.values())
    return _verdict(
        "one audit event per counted operation, none for refused ones",
        problems,
        f"{total} audit events match {len(expected)} workstations' counts (incl. set-up)",
    )


def _all_reported(tallies: list[Tally], missing: dict[str, str]) -> Check:
    problems = [f"{name}: {what}" for name, what in sorted(missing.items())]
    kept = [error for tally in tallies for error in tally.errors]
    errors = sum(tally.error_count for tally in tallies)
    problems += kept
    if errors > len(kept):
        problems.append(f"{errors} unexpected errors in all")
    return _verdict(
        "every workstation finished without unexpected errors",
        problems,
        f"{len(tallies)} workstations reported",
    )
