"""Checks on the QA gate, holds and recalls, judged from the audit order alone.

Each batch's events are replayed in id order, tracking what the batch was at each instant
(awaiting QA, released, rejected; held; recalled; deleted). A consume that lands while the
batch was blocked got past the guard, whatever the batch looks like now. Written apart from
`audit verify`'s replay on purpose: the two must not share a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dairy_desktop.simulate.snapshot import BatchState, Event, Snapshot
from dairy_desktop.simulate.verdict import Check, verdict


@dataclass
class Life:
    """One batch's lifecycle so far, as its events tell it."""

    gate_on: bool
    required: frozenset[str]
    qa: str = "released"
    passed: set[str] = field(default_factory=set)
    held: bool = False
    recalled: bool = False
    deleted: bool = False

    def blocked_because(self) -> str | None:
        """Why nothing may be consumed now, None if the lifecycle allows it."""
        if self.deleted:
            return "deleted"
        if self.recalled:
            return "recalled"
        if self.qa == "rejected":
            return "rejected by QA"
        if self.held:
            return "on hold"
        if self.qa == "pending":
            return "awaiting QA"
        return None

    def apply(self, event: Event) -> None:
        action = event.action
        if action == "register":
            self.qa = "pending" if self.gate_on else "released"
        elif action == "qa":
            if event.qa_result == "fail":
                self.qa = "rejected"
            elif event.qa_result == "pass" and event.qa_test is not None:
                self.passed.add(event.qa_test)
                if self.qa == "pending" and self.required <= self.passed:
                    self.qa = "released"
        elif action in ("hold", "release"):
            self.held = action == "hold"
        elif action == "recall":
            self.recalled = True
        elif action in ("delete", "restore"):
            self.deleted = action == "delete"

    def as_stored(self) -> tuple[str, bool, bool, bool]:
        return (self.qa, self.held, self.recalled, self.deleted)


def no_consume_while_blocked(snapshot: Snapshot) -> Check:
    problems = []
    consumes = gates = 0
    for batch_id, b in snapshot.batches.items():
        life = Life(snapshot.gate_on, snapshot.required_tests)
        for number, event in enumerate(snapshot.events.get(batch_id, []), start=1):
            if event.action == "consume":
                consumes += 1
                why = life.blocked_because()
                if why is not None:
                    problems.append(
                        f"batch {b.code}: audit event {number} (id {event.id}) consumes it "
                        f"while it was {why}"
                    )
            elif event.action in ("qa", "hold", "release", "recall"):
                gates += 1
            life.apply(event)
    return verdict(
        "no consume while pending, held, rejected or recalled (audit order)",
        problems,
        f"{consumes} consumes placed among {gates} QA, hold, release and recall events",
    )


def lifecycle_replays(snapshot: Snapshot) -> Check:
    """Each batch's QA state, hold, recall and deletion follow from its events."""
    problems = []
    for batch_id, b in snapshot.batches.items():
        life = Life(snapshot.gate_on, snapshot.required_tests)
        for event in snapshot.events.get(batch_id, []):
            life.apply(event)
        if life.as_stored() != _stored(b):
            problems.append(
                f"batch {b.code}: the row says {_describe(_stored(b))}, its events "
                f"{_describe(life.as_stored())}"
            )
    return verdict(
        "QA state, hold, recall and deletion follow from the audit",
        problems,
        f"{len(snapshot.batches)} batches agree with their events",
    )


def _stored(b: BatchState) -> tuple[str, bool, bool, bool]:
    return (b.qa_state, b.held, b.recalled, b.deleted)


def _describe(state: tuple[str, bool, bool, bool]) -> str:
    qa, held, recalled, deleted = state
    flags = (("held", held), ("recalled", recalled), ("deleted", deleted))
    return ", ".join([f"QA {qa}", *(name for name, on in flags if on)])
