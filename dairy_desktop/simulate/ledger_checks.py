"""Checks on the batches and their audit trail: the numbers add up, whoever did what."""

from __future__ import annotations

from itertools import pairwise

from dairy_desktop.simulate.snapshot import Event, Snapshot
from dairy_desktop.simulate.verdict import Check, liters_text, verdict


def no_batch_below_zero(snapshot: Snapshot) -> Check:
    batches = snapshot.batches
    problems = [
        f"batch {b.code} has {liters_text(b.remaining_ml)} left"
        for b in batches.values()
        if b.remaining_ml < 0
    ]
    return verdict("no batch below zero", problems, f"{len(batches)} batches, none below zero")


LEDGER = "initial − Σ consumed − Σ disposed + Σ reversed = remaining"


def _sum(events: list[Event], action: str) -> int:
    return sum(e.liters_ml or 0 for e in events if e.action == action)


def ledger_adds_up(snapshot: Snapshot) -> Check:
    """The ledger, per batch, from the audit's litres alone (not its remaining-after)."""
    batches, events = snapshot.batches, snapshot.events
    problems = []
    for batch_id, b in batches.items():
        trail = events.get(batch_id, [])
        consumed, disposed = _sum(trail, "consume"), _sum(trail, "dispose")
        reversed_ = _sum(trail, "reverse")
        booked = b.initial_ml - consumed - disposed + reversed_
        if booked != b.remaining_ml:
            problems.append(
                f"batch {b.code}: initial {liters_text(b.initial_ml)} − consumed "
                f"{liters_text(consumed)} − disposed {liters_text(disposed)} + reversed "
                f"{liters_text(reversed_)} in the audit = {liters_text(booked)}, but "
                f"{liters_text(b.remaining_ml)} remain"
            )
    return verdict(LEDGER, problems, f"holds for all {len(batches)} batches")


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
    """Replaying each batch's events from the register gives each event's remaining_after;
    a reversal puts back exactly the litres of a consume or disposal of its own batch, once."""
    batches, events = snapshot.batches, snapshot.events
    problems = []
    for batch_id, b in batches.items():
        problem = _replay_problem(events.get(batch_id, []))
        if problem is not None:
            problems.append(f"batch {b.code}: {problem}")
    return verdict(
        "audit trail replays to every event's remaining volume",
        problems,
        f"{sum(len(v) for v in events.values())} events replayed",
    )


def _replay_problem(trail: list[Event]) -> str | None:
    remaining: int | None = None
    reversible: dict[int, int] = {}  # consume/dispose event id -> its litres, until reversed
    for number, event in enumerate(trail, start=1):
        litres = event.liters_ml or 0
        expected: int | None
        if event.action == "register":
            expected = event.liters_ml
        elif remaining is None:
            expected = None
        elif event.action in ("consume", "dispose"):
            expected = remaining - litres
            reversible[event.id] = litres
        elif event.action == "reverse":
            original = reversible.pop(event.reverses_id or 0, None)
            if original != litres:
                return (
                    f"audit event {number} (reverse of event {event.reverses_id}) puts back "
                    f"{liters_text(litres)}, but that is "
                    + (
                        "no consume or disposal of this batch left to reverse"
                        if original is None
                        else f"a change of {liters_text(original)}"
                    )
                )
            expected = remaining + litres
        else:
            expected = remaining
        if expected != event.remaining_after_ml:
            return (
                f"audit event {number} ({event.action}) says "
                f"{liters_text(event.remaining_after_ml)} remained, the events before it "
                f"give {'nothing' if expected is None else liters_text(expected)}"
            )
        remaining = event.remaining_after_ml
    return None
