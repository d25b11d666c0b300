"""What one workstation counted: outcomes per operation, conflicts, refusals and latencies.

Sent back to the parent process when the workstation finishes (plain picklable values), then
compared with the audit trail: every counted success must have exactly one audit event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter
from typing import TypeVar

from dairy_desktop.domain.errors import (
    DatabaseUnavailable,
    PlanNoLongerHolds,
    RuleRefused,
    VersionConflict,
)

T = TypeVar("T")

# Operations a workstation performs, in the order the report lists them. "consume" is the dialog
# (submits the version it showed); "scan" is the barcode fast path (no version: one guarded
# statement that re-checks "enough left" under the row lock). "history" reads a batch's events
# (the details pane), where a reversal is started from.
OPERATIONS = (
    "list",
    "open",
    "history",
    "consume",
    "scan",
    "register",
    "delete",
    "restore",
    "qa",
    "hold",
    "release",
    "recall",
    "dispose",
    "reverse",
    "reserve",
    "order consume",
    "unreserve",
)
# Which audit action each changing operation of one batch must leave behind.
AUDITED = {
    "consume": "consume",
    "scan": "consume",
    "register": "register",
    "delete": "delete",
    "restore": "restore",
    "qa": "qa",
    "hold": "hold",
    "release": "release",
    "recall": "recall",
    "dispose": "dispose",
    "reverse": "reverse",
}
# Changes for an order: the audit action of each, one event per batch it touched.
ORDER_AUDITED = {"reserve": "reserve", "order consume": "consume", "unreserve": "unreserve"}
# How many events an order change whose outcome is unknown may have written at most
# (services.orders_lines.MAX_LINES).
MOST_LINES = 999
# The audit actions whose events carry litres a workstation counts (Σ per workstation).
COUNTED_LITRES = ("consume", "dispose", "reverse", "reserve", "unreserve")
MAX_ERRORS_KEPT = 20
# What a refusal says when other orders' reserved litres stand in the way
# (services/refusals.py).
RESERVED_FOR = "reserved for"


@dataclass
class Tally:
    workstation: str
    ok: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # per operation
    refusals: Counter[str] = field(default_factory=Counter)  # per kind (NotEnoughLeft, ...)
    # The database went away during the call: it may or may not have committed.
    unknown: Counter[str] = field(default_factory=Counter)
    reloads: int = 0
    resubmits: int = 0
    gave_up: int = 0
    consumed_ml: int = 0
    disposed_ml: int = 0
    reversed_ml: int = 0  # put back by reversals (of consumes and disposals alike)
    reserved_ml: int = 0  # promised to orders
    unreserved_ml: int = 0  # let go by unreserves
    # Audit events written by changes for an order, per audit action (one per batch).
    lines: Counter[str] = field(default_factory=Counter)
    # Refusals because the litres were reserved for other orders, per operation.
    refused_as_reserved: Counter[str] = field(default_factory=Counter)
    # What the successful lifecycle changes were: "qa pass", "qa fail", "dispose spillage", ...
    kinds: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)

    def run(self, operation: str, call: Callable[[], T]) -> T:
        """Time one service call and count its outcome; refusals and conflicts re-raise so the
        caller can react the way the window would."""
        started = perf_counter()
        try:
            result = call()
        except VersionConflict:
            self.conflicts[operation] += 1
            raise
        except (RuleRefused, PlanNoLongerHolds) as refusal:
            self.refused[operation] += 1
            self.refusals[type(refusal).__name__] += 1
            if RESERVED_FOR in str(refusal):
                self.refused_as_reserved[operation] += 1
            raise
        except DatabaseUnavailable:
            self.unknown[operation] += 1
            raise
        finally:
            self.latencies.setdefault(operation, []).append(perf_counter() - started)
        self.ok[operation] += 1
        return result

    def error(self, operation: str, error: BaseException) -> None:
        """Something no operator should ever see (a bug, a driver error): fails the run."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"{self.workstation} {operation}: {type(error).__name__}: {error}")

    def litres(self, action: str) -> int:
        """Σ litres (mL) of this workstation's successful changes of audit `action`."""
        return {
            "consume": self.consumed_ml,
            "dispose": self.disposed_ml,
            "reverse": self.reversed_ml,
            "reserve": self.reserved_ml,
            "unreserve": self.unreserved_ml,
        }[action]

    def audited_counts(self) -> tuple[Counter[str], Counter[str]]:
        """(successes, outcome unknown) per audit action."""
        done: Counter[str] = Counter()
        maybe: Counter[str] = Counter()
        for operation, action in AUDITED.items():
            done[action] += self.ok[operation]
            maybe[action] += self.unknown[operation]
        done.update(self.lines)
        for operation, action in ORDER_AUDITED.items():
            maybe[action] += self.unknown[operation] * MOST_LINES
        return done, maybe
