"""This run's batch codes and workstation names, and the guard that keeps the simulator off a
real plant database (its batches and audit events could never be removed again)."""

from __future__ import annotations

from dairy_desktop.db.database import Database
from dairy_desktop.db.simulation_queries import batches_without_prefix, last_code_with_prefix
from dairy_desktop.domain.errors import RuleRefused

PREFIX = "SIM"
MAX_SEQUENCE = 9999  # the default code pattern allows four digits after the run number
SETUP_WORKSTATION = "SETUP"


def batch_code(run: str, sequence: int) -> str:
    """SIM-<run number>-<sequence>: matches the default plant pattern ^[A-Z]{3}-\\d{8}-\\d{4}$."""
    return f"{run}-{sequence:04d}"


def workstation_name(run: str, index: int | str) -> str:
    """Unique per run, so the audit events of this run can be counted per PC."""
    suffix = index if isinstance(index, str) else f"PC{index:03d}"
    return f"{run}-{suffix}"


def own_sequences(index: int, workstations: int, first: int) -> range:
    """The code numbers workstation `index` may register: interleaved, so no two PCs collide
    unless one deliberately re-registers a code (a refused duplicate)."""
    return range(first + index, MAX_SEQUENCE + 1, workstations)


def refuse_real_data(database: Database) -> None:
    count, example = batches_without_prefix(database, PREFIX)
    if count:
        raise RuleRefused(
            f"This database holds {count} batches that the simulator did not create (e.g. "
            f"{example}); a simulation writes batches and audit events that can never be "
            "removed. Point --database-url at a scratch database."
        )


def next_run(database: Database) -> str:
    """SIM-00000001 on a fresh database, one more than the last run otherwise."""
    last = last_code_with_prefix(database, PREFIX)
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{PREFIX}-{number:08d}"
