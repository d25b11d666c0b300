"""One simulation from start to verdict: prepare the database (QA gate on, opening stock),
run the PCs, check the result."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dairy_desktop.db.database import open_database
from dairy_desktop.simulate.checks import Check, check_database
from dairy_desktop.simulate.codes import next_run, refuse_real_data
from dairy_desktop.simulate.config import SimulationConfig
from dairy_desktop.simulate.deliveries import stock_up
from dairy_desktop.simulate.plant_gate import require_qa_release
from dairy_desktop.simulate.processes import Outcome, run_workstations


@dataclass(frozen=True)
class SimulationResult:
    config: SimulationConfig
    run: str  # SIM-<number>: the prefix of this run's batch codes and workstation names
    database_kind: str
    outcome: Outcome
    checks: list[Check]
    # The set-up's audit events per action: the opening stock registered and released by QA.
    seeded: Counter[str] = field(default_factory=Counter)
    required_tests: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]


def run_simulation(config: SimulationConfig) -> SimulationResult:
    database = open_database(config.url)  # brings the schema up to date, as the app does
    try:
        refuse_real_data(database)
        run = next_run(database)
        tests = require_qa_release(database, run)
        seeded = stock_up(database, run, config.batches, config.seed)
        outcome = run_workstations(config, run)
        checks = check_database(
            database, run, outcome.tallies, seeded=seeded, missing=outcome.missing
        )
        return SimulationResult(config, run, database.kind, outcome, checks, seeded, tests)
    finally:
        database.dispose()
