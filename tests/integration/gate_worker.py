"""Code run inside the worker processes of the QA gate concurrency test.

Like concurrent_worker.py: each worker is a spawned interpreter with its own engine and
connections (a separate PC), importable by name with picklable arguments and results, and
every worker connects before the shared barrier so that they really start together.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field

from dairy_desktop.domain.errors import RuleRefused, VersionConflict
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.holds import hold_once, release_once
from dairy_desktop.services.qa_release import record_qa_once
from dairy_desktop.services.queries import get_batch
from tests.integration.concurrent_worker import GATE_TIMEOUT_S, Gate, _open

VERSIONED_EVERY = 5  # every fifth consume is a dialog's: submitted with the version it read
# What a refused consume says of the batch's state (services/refusals.py's wording).
BLOCKED = {"awaiting QA": "is awaiting QA release", "on hold": "is on hold"}


@dataclass(frozen=True)
class ConsumerResult:
    pid: int
    # (event id, request id) of every consume that went through
    successes: list[tuple[int, str]] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # "awaiting QA", "on hold", other
    conflicts: int = 0
    # The first success sent again with its request id: (replayed?, event id it came back with)
    resent: tuple[bool, int] | None = None


def consume_while_gated(
    url: str, code: str, liters: str, seconds: float, operator: str, gate: Gate
) -> ConsumerResult:
    """After the start signal, consume `liters` from `code` for `seconds`, as fast as the
    guard answers; refusals are counted by the state they name."""
    actor = Actor(operator=operator, workstation=f"PC-{os.getpid()}")
    database = _open(url, gate)
    successes: list[tuple[int, str]] = []
    refused: Counter[str] = Counter()
    conflicts = 0
    resent: tuple[bool, int] | None = None
    try:
        gate.wait(GATE_TIMEOUT_S)
        deadline = time.monotonic() + seconds
        attempt = 0
        while time.monotonic() < deadline:
            attempt += 1
            send = actor.for_action()
            seen = get_batch(database, code).version if attempt % VERSIONED_EVERY == 0 else None
            try:
                changed = consume_once(database, code, liters, actor=send, expected_version=seen)
            except VersionConflict:
                conflicts += 1
                continue
            except RuleRefused as refusal:
                said = str(refusal)
                refused[next((k for k, v in BLOCKED.items() if v in said), "other")] += 1
                continue
            assert send.request_id is not None
            successes.append((changed.event.id, send.request_id))
            if resent is None:
                again = consume_once(database, code, liters, actor=send)
                resent = (again.replayed, again.event.id)
    finally:
        database.dispose()
    return ConsumerResult(os.getpid(), successes, dict(refused), conflicts, resent)


@dataclass(frozen=True)
class GateKeeperResult:
    pid: int
    qa_event: int
    hold_event: int
    release_event: int


def release_hold_release(url: str, code: str, pause_s: float, gate: Gate) -> GateKeeperResult:
    """After the start signal: wait, pass the batch's QA, wait, hold it, wait, release it."""
    actor = Actor(operator="lab", workstation=f"PC-{os.getpid()}")
    database = _open(url, gate)
    try:
        gate.wait(GATE_TIMEOUT_S)
        time.sleep(pause_s)
        passed = record_qa_once(
            database,
            code,
            test="beta-lactam",
            result="pass",
            analyst="lab",
            actor=actor.for_action(),
        )
        time.sleep(pause_s)
        held = hold_once(database, code, reason="supplier report awaited", actor=actor.for_action())
        time.sleep(pause_s)
        released = release_once(database, code, reason="report clean", actor=actor.for_action())
    finally:
        database.dispose()
    return GateKeeperResult(os.getpid(), passed.event.id, held.event.id, released.event.id)
