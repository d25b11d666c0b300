"""Checks that the audit trail records exactly what the workstations say they did."""

from __future__ import annotations

from collections import Counter

from dairy_desktop.simulate.codes import SETUP_WORKSTATION, workstation_name
from dairy_desktop.simulate.snapshot import Snapshot
from dairy_desktop.simulate.tally import AUDITED, COUNTED_LITRES, ORDER_AUDITED, Tally
from dairy_desktop.simulate.verdict import Check, liters_text, verdict

AUDIT_ACTIONS = (
    "register",
    *sorted((set(AUDITED.values()) | set(ORDER_AUDITED.values())) - {"register"}),
)
_PAST = {
    "consume": "consumed",
    "dispose": "disposed of",
    "reverse": "put back",
    "reserve": "reserved",
    "unreserve": "let go of",
}


def events_match_counts(
    snapshot: Snapshot, run: str, tallies: list[Tally], seeded: Counter[str]
) -> Check:
    """Exactly one audit event per success a workstation counted, none for refusals or
    conflicts; where the database vanished mid-call the outcome is unknown, so either is fine.
    `seeded`: the set-up's own events per action (the opening stock and its QA release)."""
    audited = snapshot.per_workstation
    problems = []
    setup = workstation_name(run, SETUP_WORKSTATION)
    expected: dict[str, tuple[Counter[str], Counter[str], dict[str, int]]] = {
        setup: (seeded, Counter(), {})
    }
    for tally in tallies:
        done, maybe = tally.audited_counts()
        # Litres can only be compared where every such change's outcome is known.
        litres = {action: tally.litres(action) for action in COUNTED_LITRES if not maybe[action]}
        expected[tally.workstation] = (done, maybe, litres)
    for name, (done, maybe, litres) in sorted(expected.items()):
        for action in AUDIT_ACTIONS:
            found = audited.get((name, action), (0, 0))[0]
            low, high = done[action], done[action] + maybe[action]
            if not low <= found <= high:
                counted = str(low) if low == high else f"{low}–{high}"
                problems.append(f"{name} {action}: counted {counted}, audit has {found}")
        for action, counted_ml in litres.items():
            found_ml = audited.get((name, action), (0, 0))[1]
            if found_ml != counted_ml:
                problems.append(
                    f"{name} {_PAST[action]} {liters_text(counted_ml)}, "
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
