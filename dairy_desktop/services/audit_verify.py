"""`audit verify`: does the audit trail still prove the stock it claims to?

Two checks over one snapshot of the database, in a single pass over the events in id order:

- **The hash chain** (domain.audit_chain): each batch's events are recomputed; an edited event
  no longer matches its hash, a deleted or inserted one breaks the next event's link. Events
  written before the chain existed carry no hash: a batch's chain starts at its first hashed
  event, and those older events are counted (and still replayed).
- **The replay**: each batch's events, applied in order (register sets the litres, consume
  and dispose subtract, reverse puts back the litres of the consume or dispose of the same
  batch it names, delete and restore toggle, every event bumps the version by one), must end
  in exactly the remaining litres, version and deleted state of its row in `batches`; the
  ledger initial − Σ consume − Σ dispose + Σ reverse = remaining follows. The lifecycle is
  replayed too (audit_verify_lifecycle): QA state, hold and recall must match the row, and
  no event may be one the rules refuse in the state it found (a consume while awaiting QA,
  held, rejected or recalled; a second reversal of one event). So are the reservations
  (audit_verify_reservations): each order's litres and planned day must match the
  reservations table and the batch's reserved_ml, and no event may take another order's
  reserved litres. A direct UPDATE of a batch or a reservation, or a lost or invented
  event, shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dairy_desktop.db.audit_chain_queries import (
    StoredBatch,
    StoredEvent,
    StoredReservation,
    audit_snapshot,
)
from dairy_desktop.db.database import Database as StoredDatabase
from dairy_desktop.domain.audit import REVERSIBLE, AuditAction
from dairy_desktop.domain.audit_chain import GENESIS, ChainedContent, event_hash
from dairy_desktop.services.audit_verify_lifecycle import (
    TESTS_KEY,
    Gate,
    Life,
    apply,
    describe,
    matches,
    starting_lives,
)
from dairy_desktop.services.audit_verify_reservations import (
    Held,
    apply_reservation,
    reservation_problem,
)
from dairy_desktop.services.ports import Database

# Batches named in the one-line message; the JSON and `problems` have them all.
NAMED_IN_MESSAGE = 10


@dataclass(frozen=True)
class AuditVerification:
    events: int
    ok: bool
    first_broken_event_id: int | None
    mismatched_batches: list[str]
    message: str
    # Events from before the hash chain: replayed, but not covered by a hash.
    unchained_events: int = 0
    # One sentence per problem found, in the order found (at most one per batch).
    problems: list[str] = field(default_factory=list)


class _Replay:
    """One batch's history so far, as the trail tells it."""

    __slots__ = (
        "chained",
        "code",
        "deleted",
        "held",
        "initial",
        "last_hash",
        "lives",
        "problem",
        "remaining",
        "reversed",
    )

    def __init__(self, code: str) -> None:
        self.code = code
        self.chained = False
        self.last_hash = GENESIS
        self.initial: int | None = None
        self.remaining: int | None = None
        self.deleted = False
        self.lives: set[Life] = {Life()}
        self.reversed: set[int] = set()  # ids of this batch's events reversed so far
        self.held: Held = {}  # each order's reservation on the batch so far
        self.problem: str | None = None


def _content(event: StoredEvent, prev_hash: str) -> ChainedContent:
    # StoredEvent's fields from batch_code to db_user are ChainedContent's, in its order, and
    # so are those from reason_code to qa_state_after (domain.audit_chain.LIFECYCLE_FIELDS).
    # reserved_for follows them (domain.audit_chain.RESERVATION_FIELDS).
    return ChainedContent(*event[2:14], prev_hash, *event[16:25])


def chain_problem(replay: _Replay, event: StoredEvent) -> str | None:
    """Why `event` breaks its batch's chain, or None; moves the chain on to it."""
    if event.hash is None:
        if replay.chained:
            return f"event {event.id} has no hash although earlier events of its batch do"
        return None
    expected_prev = replay.last_hash
    replay.chained, replay.last_hash = True, event.hash
    if event.prev_hash != expected_prev:
        return (
            f"event {event.id} does not follow its batch's previous event (an event was "
            "deleted or inserted before it)"
        )
    if event_hash(_content(event, event.prev_hash)) != event.hash:
        return f"event {event.id} was changed after it was written (its hash does not match)"
    return None


def replay_problem(
    replay: _Replay, event: StoredEvent, version_before: int, gate: Gate
) -> str | None:
    """Why `event` does not follow from the batch's history so far, or None; applies it."""
    action = event.action
    litres = event.liters_ml or 0
    problem: str | None = None
    if event.version_after != version_before + 1:
        problem = f"event {event.id} says version {event.version_after} after {version_before}"
    elif action == AuditAction.REGISTER:
        problem = None if version_before == 0 else f"event {event.id} registers it again"
        replay.initial = replay.remaining = event.liters_ml
        why, replay.lives = starting_lives(event)
        problem = problem or (None if why is None else f"event {event.id} {why}")
    elif replay.remaining is None:
        return f"event {event.id} ({action}) comes before any register"
    elif action in (AuditAction.CONSUME, AuditAction.DISPOSE):
        problem = f"event {event.id} takes milk from a deleted batch" if replay.deleted else None
        replay.remaining -= litres
    elif action == AuditAction.REVERSE:
        problem = _reversal_problem(replay, event)
        replay.remaining += litres
    elif action == AuditAction.DELETE:
        problem = f"event {event.id} deletes it twice" if replay.deleted else None
        replay.deleted = True
    elif action == AuditAction.RESTORE:
        problem = None if replay.deleted else f"event {event.id} restores it while not deleted"
        replay.deleted = False
    elif action in (AuditAction.QA, AuditAction.HOLD, AuditAction.RESERVE):
        problem = f"event {event.id} ({action}) changes a deleted batch" if replay.deleted else None
    elif action not in (AuditAction.RELEASE, AuditAction.RECALL, AuditAction.UNRESERVE):
        return f"event {event.id} has an unknown action {action!r}"
    why, replay.lives = apply(replay.lives, event, gate)
    if problem is None and why is not None:
        if action == AuditAction.CONSUME:
            problem = f"event {event.id} consumes it while it was {why}"
        elif action == AuditAction.RESERVE:
            problem = f"event {event.id} reserves it while it was {why}"
        else:
            problem = f"event {event.id} ({action}) {why}"
    if problem is None and event.remaining_after_ml != replay.remaining:
        problem = (
            f"event {event.id} says {event.remaining_after_ml} mL left where its history "
            f"gives {replay.remaining} mL"
        )
    if problem is None and replay.remaining is not None and replay.remaining < 0:
        problem = f"event {event.id} leaves {replay.remaining} mL: below zero"
    reserved = apply_reservation(replay.held, event, replay.remaining or 0)
    return problem or reserved


def _reversal_problem(replay: _Replay, event: StoredEvent) -> str | None:
    """Why this `reverse` does not undo one consume or dispose of its own batch, or None."""
    original = event.reverses_id
    problem: str | None = None
    if replay.deleted:
        problem = "reverses a change of a deleted batch"
    elif original is None:
        problem = "names no event it reverses"
    elif event.reversed_action is None:
        problem = f"reverses event {original}, which does not exist"
    elif event.reversed_batch_id != event.batch_id:
        problem = f"reverses event {original} of another batch"
    elif event.reversed_action not in REVERSIBLE:
        problem = f"reverses event {original}, a {event.reversed_action}, which is not reversible"
    elif original >= event.id:
        problem = f"reverses event {original}, which came after it"
    elif original in replay.reversed:
        problem = f"reverses event {original} a second time"
    elif event.liters_ml != event.reversed_liters_ml:
        problem = (
            f"puts back {event.liters_ml} mL where event {original} took "
            f"{event.reversed_liters_ml} mL"
        )
    if original is not None:
        replay.reversed.add(original)
    return None if problem is None else f"event {event.id} {problem}"


def row_problem(
    replay: _Replay | None,
    row: StoredBatch,
    version: int,
    reservations: list[StoredReservation] | None = None,
) -> str | None:
    """Why the stored row (and its reservations) disagree with its replayed history, or
    None."""
    if replay is None:
        return "it has no audit events at all"
    reserved = reservation_problem(replay.held, row.reserved_ml, reservations or [])
    told = (replay.initial, replay.remaining, version, replay.deleted)
    stored = (row.initial_ml, row.remaining_ml, row.version, row.deleted)
    labels = ("initial mL", "remaining mL", "version", "deleted")
    differences = [
        f"{label} {s} (history: {t})"
        for label, s, t in zip(labels, stored, told, strict=True)
        if s != t
    ]
    if not matches(replay.lives, row.qa_state, row.held, row.recalled):
        flags = [name for name, on in (("held", row.held), ("recalled", row.recalled)) if on]
        differences.append(
            f"{', '.join([f'QA {row.qa_state}', *flags])} (history: {describe(replay.lives)})"
        )
    if not differences:
        return reserved
    says = "the row says " + ", ".join(differences)
    return says if reserved is None else f"{says}; {reserved}"


def verify_audit(database: Database) -> AuditVerification:
    """Recompute every batch's chain and replay its events against the batches table.

    Reads the stored record itself (a SQLite file or PostgreSQL database), not a port: there
    is nothing to verify in an in-memory stand-in."""
    if not isinstance(database, StoredDatabase):
        raise TypeError(f"audit verify needs a stored database, not {type(database).__name__}")
    replays: dict[int, _Replay] = {}
    versions: dict[int, int] = {}
    problems: list[str] = []
    first_broken: int | None = None
    count = unchained = 0
    with audit_snapshot(database) as snapshot:
        rows = snapshot.batches()
        reservations: dict[int, list[StoredReservation]] = {}
        for reservation in snapshot.reservations():
            reservations.setdefault(reservation.batch_id, []).append(reservation)
        keys = (TESTS_KEY,)
        gate = Gate(snapshot.setting_changes(keys), snapshot.settings_now(keys))
        for event in snapshot.events():
            count += 1
            replay = replays.get(event.batch_id)
            if replay is None:
                replay = replays[event.batch_id] = _Replay(event.batch_code)
            if event.hash is None and not replay.chained:
                unchained += 1
            version_before = versions.get(event.batch_id, 0)
            versions[event.batch_id] = version_before + 1
            problem = chain_problem(replay, event)
            replayed = replay_problem(replay, event, version_before, gate)
            problem = problem or replayed
            if problem is not None:
                if first_broken is None:
                    first_broken = event.id
                if replay.problem is None:
                    replay.problem = problem
                    problems.append(f"batch {replay.code}: {problem}")
    mismatched = [r.code for r in replays.values() if r.problem is not None]
    for row in rows:
        replay = replays.get(row.id)
        if replay is not None and replay.problem is not None:
            continue
        problem = row_problem(replay, row, versions.get(row.id, 0), reservations.pop(row.id, []))
        if problem is not None:
            mismatched.append(row.code)
            problems.append(f"batch {row.code}: {problem}")
    mismatched.sort()
    return AuditVerification(
        events=count,
        ok=not mismatched and first_broken is None,
        first_broken_event_id=first_broken,
        mismatched_batches=mismatched,
        message=_message(count, unchained, first_broken, mismatched),
        unchained_events=unchained,
        problems=problems,
    )


def _message(count: int, unchained: int, first_broken: int | None, mismatched: list[str]) -> str:
    noun = "event" if count == 1 else "events"
    if first_broken is None and not mismatched:
        message = f"{count} {noun}, chain intact, every batch agrees with its history"
        if unchained:
            message += f" ({unchained} older events carry no hash; they were replayed)"
        return message
    parts = [f"audit mismatch in {count} {noun}"]
    if first_broken is not None:
        parts.append(f"first broken event: {first_broken}")
    if mismatched:
        named = ", ".join(mismatched[:NAMED_IN_MESSAGE])
        more = len(mismatched) - NAMED_IN_MESSAGE
        tail = f" and {more} more" if more > 0 else ""
        agree = (
            "batch disagrees with its" if len(mismatched) == 1 else "batches disagree with their"
        )
        parts.append(f"{len(mismatched)} {agree} history: {named}{tail}")
    return "; ".join(parts)
