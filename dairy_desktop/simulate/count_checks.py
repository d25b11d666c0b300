"""Checks that the audit trail records exactly what the workstations say they did."""

from __future__ import annotations

from collections import Counter

from dairy_desktop.simulate.codes import SETUP_WORKSTATION, workstation_name
from dairy_desktop.simulate.snapshot import Snapshot
from dairy_desktop.simulate.tally import Tally
from dairy_desktop.simulate.verdict import Check, liters_text, verdict


def events_match_counts(snapshot: Snapshot, run: str, tallies: list[Tally], seeded: int) -> Check:
    """Exactly one audit event per success a workstation counted, none for refusals or
    conflicts; where the database vanished mid-call the outcome is unknown, so either is fine."""
    audited = snapshot.per_workstation
    problems = []
    setup = workstation_name(run, SETUP_WORKSTATION)
    expected: dict[str, tuple[Counter[str], Counter[str], int | None]] = {
        setup: (Counter(register=seeded), Counter(), None)
    }
    for tally in tallies:
        done, maybe = tally.audited_counts()
        # Litres can only be compared when every consume's outcome is known.
        litres = None if sum(maybe.values()) else tally.consumed_ml
        expected[tally.workstation] = (done, maybe, litres)
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
                f"{name} consumed {liters_text(consumed_ml)}, "
                f"its audit events say {liters_text(found_ml)}"
            )
    strangers = sorted({name for name, _ in audited} - set(expected))
    problems += [f"{name} has audit events but did not report" for name in strangers]
    total = sum(count for count, _ in audited.values())
    return verdict(
        "one audit event per counted operation, none for refused ones",
        problems,
        f"{total} audit events match {len(expected)} workstations' counts (incl. set-up)",
    )


def all_reported(tallies: list[Tally], missing: dict[str, str]) -> Check:
    problems = [f"{name}: {what}" for name, what in sorted(missing.items())]
    kept = [error for tally in tallies for error in tally.errors]
    errors = sum(tally.error_count for tally in tallies)
    problems += kept
    if errors > len(kept):
        problems.append(f"{errors} unexpected errors in all")
    return verdict(
        "every workstation finished without unexpected errors",
        problems,
        f"{len(tallies)} workstations reported",
    )
