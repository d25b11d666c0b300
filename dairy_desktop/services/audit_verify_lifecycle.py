"""`audit verify`'s lifecycle replay: QA state, hold and recall, event by event.

A batch's lifecycle is replayed from its own events. Register and qa events record the QA
state they left (qa_state_after, migration 0005): a batch starts as its register event
says, pending or released (a registration stored before 0005 records none: every batch
then was released, as the migration left them); a fail must leave it rejected; a pass on a
pending batch must leave it pending, or released once every test named in
`qa_required_tests` at that instant (the settings history, plant_setting_changes) has
passed, and on any other batch leave it as it was.

The settings history cannot always say which tests were required: a result within seconds
of a change of the setting may have read either value (SQLite stamps both with PC times
taken before its write lock). The replay then carries every state the batch could be in
("lives"); the state the event records picks one, an event that none allows is a problem,
and the stored row must match one of those left.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from dairy_desktop.db.audit_chain_queries import SettingChange, StoredEvent
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.domain.qa import DEFAULT_REQUIRED_TESTS, QaResult, QaState

TESTS_KEY = "qa_required_tests"
# How far apart a setting's recorded instant and a change that read it may be.
SETTING_SLACK = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Life:
    """One state a batch may be in, as far as its events tell."""

    qa: QaState = QaState.RELEASED
    passed: frozenset[str] = frozenset()
    held: bool = False
    recalled: bool = False

    def blocks_consume(self) -> str | None:
        """What stops a consume in this state (deletion is the replay's own check)."""
        if self.recalled:
            return "recalled"
        if self.qa is QaState.REJECTED:
            return "rejected by QA"
        if self.held:
            return "on hold"
        if self.qa is QaState.PENDING:
            return "awaiting QA"
        return None

    def stored_as(self) -> tuple[str, bool, bool]:
        return (self.qa.value, self.held, self.recalled)


class SettingHistory:
    """One plant setting's recorded values over time (oldest first), what it may have been
    before its first record, and its value now. None: no row. A row deleted is not recorded:
    if the value now is not the last one recorded, a change after that record may have seen
    either."""

    def __init__(
        self,
        changes: list[SettingChange],
        key: str,
        *,
        before: frozenset[str | None],
        now: str | None,
    ) -> None:
        own = [change for change in changes if change.key == key]
        self._instants = [change.at for change in own]
        self._values: list[frozenset[str | None]] = [
            before,
            *(frozenset({change.value}) for change in own),
        ]
        if now not in self._values[-1]:
            self._values[-1] = self._values[-1] | {now}

    def values_near(self, at: datetime) -> set[str | None]:
        """The values the setting may have had for a change stamped `at`: the one in force
        then, and any it changed to or from within SETTING_SLACK."""
        first = bisect_right(self._instants, at - SETTING_SLACK)
        last = bisect_right(self._instants, at + SETTING_SLACK)
        return set().union(*self._values[first : last + 1])


class Gate:
    """The tests that release a pending batch, as the plant's setting stood over time."""

    def __init__(self, changes: list[SettingChange], now: dict[str, str]) -> None:
        # The required tests had no row until the plant's settings were first saved.
        self._tests = SettingHistory(
            changes, TESTS_KEY, before=frozenset({None}), now=now.get(TESTS_KEY)
        )

    def required_near(self, at: datetime) -> list[frozenset[str]]:
        return [_tests(value) for value in self._tests.values_near(at)]


def _recorded_state(value: str | None) -> QaState | None:
    try:
        return None if value is None else QaState(value)
    except ValueError:
        return None


def starting_lives(event: StoredEvent) -> tuple[str | None, set[Life]]:
    """A register event: why its recorded QA state is not one a batch starts in (None if
    it is), and the state the batch starts in."""
    if event.qa_state_after is None:
        # Stored before 0005, when there was no gate: the migration released every batch.
        return None, {Life()}
    state = _recorded_state(event.qa_state_after)
    if state is None or state is QaState.REJECTED:
        return f"registers it as QA {event.qa_state_after!r}", {Life(state or QaState.RELEASED)}
    return None, {Life(state)}


def _as_recorded(event: StoredEvent, lives: set[Life]) -> tuple[str | None, set[Life]]:
    """The lives a qa event's result allows, narrowed to the state it records."""
    if event.qa_state_after is None:
        return "records a QA result without the QA state it left", lives
    state = _recorded_state(event.qa_state_after)
    kept = {life for life in lives if life.qa is state}
    if kept:
        return None, kept
    why = f"records QA {event.qa_state_after} where its history gives {describe(lives)}"
    # Carry on as recorded: the row was left as the event says.
    return why, lives if state is None else {replace(life, qa=state) for life in lives}


def _tests(value: str | None) -> frozenset[str]:
    # Lenient, as the change functions read it: the setting was validated when it was saved.
    names = {"-".join(part.lower().split()) for part in (value or "").replace("\n", ",").split(",")}
    names.discard("")
    return frozenset(names or {DEFAULT_REQUIRED_TESTS})


def step(life: Life, event: StoredEvent, gate: Gate) -> tuple[str | None, set[Life]]:
    """Why `life` does not allow `event` (None if it does), and the lives it leads to."""
    action = event.action
    if action in (AuditAction.CONSUME, AuditAction.RESERVE):
        # Reserved litres are litres an order may take: only where they could be taken.
        return life.blocks_consume(), {life}
    if action == AuditAction.QA:
        if life.recalled or life.qa is QaState.REJECTED:
            return f"records a QA result although it was {life.blocks_consume()}", {life}
        if event.qa_result == QaResult.FAIL:
            return _as_recorded(event, {replace(life, qa=QaState.REJECTED)})
        if event.qa_result != QaResult.PASS or event.qa_test is None:
            return f"records an unknown QA result {event.qa_result!r}", {life}
        passed = life.passed | {event.qa_test}
        if life.qa is not QaState.PENDING:
            return _as_recorded(event, {replace(life, passed=passed)})
        return _as_recorded(
            event,
            {
                replace(life, passed=passed, qa=QaState.RELEASED if required <= passed else life.qa)
                for required in gate.required_near(event.at)
            },
        )
    if action == AuditAction.HOLD:
        if life.recalled or life.held:
            return f"puts it on hold although it was {'recalled' if life.recalled else 'held'}", {
                life
            }
        return None, {replace(life, held=True)}
    if action == AuditAction.RELEASE:
        if life.recalled or not life.held:
            return (
                f"releases a hold although it was {'recalled' if life.recalled else 'not held'}",
                {life},
            )
        return None, {replace(life, held=False)}
    if action == AuditAction.RECALL:
        if life.recalled:
            return "recalls it a second time", {life}
        return None, {replace(life, recalled=True)}
    if action == AuditAction.DISPOSE:
        rejected_load = event.reason_code == DisposeReason.REJECTED_LOAD
        if rejected_load != (life.qa is QaState.REJECTED):
            return f"disposes of it as {event.reason_code!r} while QA {life.qa.value}", {life}
        return None, {life}
    if action == AuditAction.REVERSE and life.recalled:
        return "reverses a change of a recalled batch", {life}
    return None, {life}


def apply(lives: set[Life], event: StoredEvent, gate: Gate) -> tuple[str | None, set[Life]]:
    """Step every life; keep those that allowed the event (the guard did), or, if none
    did, report the first life's reason and carry on with all of them."""
    allowed: set[Life] = set()
    refused: set[Life] = set()
    why: str | None = None
    for life in sorted(lives, key=Life.stored_as):
        problem, after = step(life, event, gate)
        if problem is None:
            allowed |= after
        else:
            why = why or problem
            refused |= after
    if allowed:
        return None, allowed
    return why, refused


def matches(lives: set[Life], qa_state: str, held: bool, recalled: bool) -> bool:
    return (qa_state, held, recalled) in {life.stored_as() for life in lives}


def describe(lives: set[Life]) -> str:
    """'QA pending', 'QA released, held', … or several joined by ' or '."""
    words = []
    for qa, held, recalled in sorted(life.stored_as() for life in lives):
        flags = [name for name, on in (("held", held), ("recalled", recalled)) if on]
        words.append(", ".join([f"QA {qa}", *flags]))
    return " or ".join(dict.fromkeys(words))
