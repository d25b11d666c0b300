"""After the run, straight from the tables: did the workstations leave a consistent database?"""

from __future__ import annotations

from collections import Counter

from dairy_desktop.db.database import Database
from dairy_desktop.simulate.count_checks import all_reported, events_match_counts
from dairy_desktop.simulate.gate_checks import lifecycle_replays, no_consume_while_blocked
from dairy_desktop.simulate.ledger_checks import (
    audit_replays,
    ledger_adds_up,
    no_batch_below_zero,
    versions_increase,
)
from dairy_desktop.simulate.reservation_checks import reservations_kept
from dairy_desktop.simulate.snapshot import read_snapshot
from dairy_desktop.simulate.tally import Tally
from dairy_desktop.simulate.verdict import Check

__all__ = ["Check", "check_database"]


def check_database(
    database: Database,
    run: str,
    tallies: list[Tally],
    *,
    seeded: Counter[str],
    missing: dict[str, str],
) -> list[Check]:
    """Every check, in the order the report lists them. `seeded`: the set-up's audit events
    per action (the opening stock, registered and released before the workstations started);
    `missing`: workstations that never reported (and why)."""
    snapshot = read_snapshot(database, run)
    return [
        no_batch_below_zero(snapshot),
        ledger_adds_up(snapshot),
        versions_increase(snapshot),
        audit_replays(snapshot),
        no_consume_while_blocked(snapshot),
        lifecycle_replays(snapshot),
        reservations_kept(snapshot),
        events_match_counts(snapshot, run, tallies, seeded),
        all_reported(tallies, missing),
    ]
