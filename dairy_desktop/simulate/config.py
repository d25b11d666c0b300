"""What one simulation run is: how many PCs, for how long, from which seed, on which database."""

from __future__ import annotations

from dataclasses import dataclass

from dairy_desktop.domain.errors import InvalidInput

MAX_WORKSTATIONS = (
    128  # each is a process with its own connection; PostgreSQL's default cap is 100+
)
MAX_DURATION_S = 3600.0
MAX_BATCHES = (
    1000  # codes are SIM-<run>-<4 digits>; the seeded batches must leave room for new ones
)

# Operator behaviour. Thinking in a dialog is short so that a 20 s run does real work, but long
# enough that other PCs change the same batch meanwhile (the conflicts are the point).
THINK_S = (0.0, 0.2)
RECHECK_S = (0.0, 0.05)  # reading the conflict prompt before resubmitting
PAUSE_S = (0.0, 0.05)  # between one action and the next
MAX_RELOADS = 5  # an operator who keeps losing the race gives up

# After the run: how long finishing workstations may take before they are killed, and how long
# the processes may take to start (a cold interpreter importing SQLAlchemy: ~1 s of CPU each).
GRACE_S = 15.0
START_TIMEOUT_S = 60.0
START_TIMEOUT_PER_WORKSTATION_S = 2.0


@dataclass(frozen=True)
class SimulationConfig:
    url: str
    workstations: int
    duration_s: float
    seed: int = 0
    batches: int = 10

    def __post_init__(self) -> None:
        if not 1 <= self.workstations <= MAX_WORKSTATIONS:
            raise InvalidInput(
                f"--workstations must be 1–{MAX_WORKSTATIONS} (got {self.workstations}).",
                field="workstations",
            )
        if not 0 < self.duration_s <= MAX_DURATION_S:
            raise InvalidInput(
                f"--duration must be more than 0 and at most {MAX_DURATION_S:.0f} seconds "
                f"(got {self.duration_s:g}).",
                field="duration",
            )
        if not 1 <= self.batches <= MAX_BATCHES:
            raise InvalidInput(
                f"--batches must be 1–{MAX_BATCHES} (got {self.batches}).", field="batches"
            )

    @property
    def start_timeout_s(self) -> float:
        return START_TIMEOUT_S + START_TIMEOUT_PER_WORKSTATION_S * self.workstations
