"""Checks on the batches and their audit trail: the numbers add up, whoever did what."""

from __future__ import annotations

from itertools import pairwise

from dairy_desktop.simulate.snapshot import Snapshot
from dairy_desktop.simulate.verdict import Check, liters_text, verdict


def no_batch_below_zero(snapshot: Snapshot) -> Check:
    batches = snapshot.batches
    problems = [
        f"batch {b.code} has {liters_text(b.remaining_ml)} left"
        for b in batches.values()
        if b.remaining_ml < 0
    ]
    return verdict("no batch below zero", problems, f"{len(batches)} batches, none below zero")


def consumed_adds_up(snapshot: Snapshot) -> Check:
    batches, events = snapshot.batches, snapshot.events
    problems = []
    for batch_id, b in batches.items():
        consumed = sum(e.liters_ml or 0 for e in events.get(batch_id, []) if e.action == "consume")
        if b.initial_ml - consumed != b.remaining_ml:
            problems.append(
                f"batch {b.code}: initial {liters_text(b.initial_ml)} − consumed "
                f"{liters_text(consumed)} in the audit = "
                f"{liters_text(b.initial_ml - consumed)}, but {liters_text(b.remaining_ml)} remain"
            )
    return verdict(
        "initial − Σ consumed = remaining",
        problems,
        f"holds for all {len(batches)} batches",
    )


def versions_increase(snapshot: Snapshot) -> Check:
    batches, events = snapshot.batches, snapshot.events
    problems = []
    for batch_id, b in batches.items():
        versions = [e.version_after for e in events.get(batch_id, [])]
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
    return verdict(
        "versions strictly increasing per batch",
        problems,
        "1, 2, 3 … up to the batch's version for every batch",
    )


def audit_replays(snapshot: Snapshot) -> Check:
    """Replaying each batch's events from the register gives each event's remaining_after."""
    batches, events = snapshot.batches, snapshot.events
    problems = []
    for batch_id, b in batches.items():
        remaining: int | None = None
        for number, event in enumerate(events.get(batch_id, []), start=1):
            if event.action == "register":
                expected = event.liters_ml
            elif event.action == "consume":
                expected = None if remaining is None else remaining - (event.liters_ml or 0)
            else:
                expected = remaining
            if expected != event.remaining_after_ml:
                problems.append(
                    f"batch {b.code}: audit event {number} ({event.action}) says "
                    f"{liters_text(event.remaining_after_ml)} remained, the events before it "
                    f"give {'nothing' if expected is None else liters_text(expected)}"
                )
                break
            remaining = event.remaining_after_ml
    return verdict(
        "audit trail replays to every event's remaining volume",
        problems,
        f"{sum(len(v) for v in events.values())} events replayed",
    )
