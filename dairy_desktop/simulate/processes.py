"""Starting N workstation processes, starting them together, and stopping them in time.

Each workstation is a separate OS process (multiprocessing "spawn": a fresh interpreter, as on
Windows, with its own engine and connection), like a separate PC. They connect first and start
together on one signal, so the run measures working, not importing SQLAlchemy. Nothing outlives
the run: whoever has not reported by duration + grace is killed, and reported as missing.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.simulate.child import workstation_process
from dairy_desktop.simulate.codes import own_sequences, workstation_name
from dairy_desktop.simulate.config import GRACE_S, SimulationConfig
from dairy_desktop.simulate.tally import Tally


@dataclass
class Outcome:
    tallies: list[Tally]
    elapsed_s: float  # from the start signal to the last report
    missing: dict[str, str] = field(default_factory=dict)  # workstation -> what happened


class StartFailed(RuntimeError):
    pass


def run_workstations(config: SimulationConfig, run: str) -> Outcome:
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    processes: list[BaseProcess] = []
    pipes: dict[Connection, str] = {}
    try:
        for index in range(config.workstations):
            name = workstation_name(run, index)
            reader, writer = context.Pipe(duplex=False)
            codes = own_sequences(index, config.workstations, first=config.batches)
            process = context.Process(
                target=workstation_process,
                args=(
                    config.url,
                    run,
                    name,
                    codes,
                    config.seed + index,
                    config.duration_s,
                    config.start_timeout_s,
                    go,
                    writer,
                ),
                name=name,
                daemon=True,
            )
            process.start()
            writer.close()  # the child holds the only writer: its death is EOF here
            processes.append(process)
            pipes[reader] = name
        _await_ready(pipes, time.monotonic() + config.start_timeout_s)
        go.set()
        started = time.monotonic()
        return _collect(pipes, started, started + config.duration_s + GRACE_S)
    finally:
        for straggler in processes:
            if straggler.is_alive():
                straggler.kill()
        for child in processes:
            child.join(5)


def _await_ready(pipes: dict[Connection, str], deadline: float) -> None:
    waiting = set(pipes)
    while waiting:
        remaining = deadline - time.monotonic()
        ready = wait(list(waiting), timeout=max(0.0, remaining)) if remaining > 0 else []
        if not ready:
            names = ", ".join(sorted(pipes[p] for p in waiting)[:5])
            raise StartFailed(f"workstations did not start in time: {names}")
        for pipe in _connections(ready, pipes):
            message = _receive(pipe)
            if message[0] == "failed":
                if message[2]:
                    raise DatabaseUnavailable(message[1])
                raise StartFailed(f"a workstation could not start: {message[1]}")
            waiting.discard(pipe)


def _collect(pipes: dict[Connection, str], started: float, hard_stop: float) -> Outcome:
    tallies: list[Tally] = []
    missing: dict[str, str] = {}
    pending = set(pipes)
    last = started
    while pending:
        remaining = hard_stop - time.monotonic()
        ready = wait(list(pending), timeout=remaining) if remaining > 0 else []
        if not ready:
            for pipe in pending:
                missing[pipes[pipe]] = "still busy after the grace period; killed"
            break
        for pipe in _connections(ready, pipes):
            message = _receive(pipe)
            if message[0] == "done":
                tallies.append(message[1])
                last = time.monotonic()
            else:
                missing[pipes[pipe]] = str(message[1])
            pending.discard(pipe)
    return Outcome(tallies, last - started, missing)


def _connections(ready: list[Any], pipes: dict[Connection, str]) -> list[Connection]:
    """`wait` returns the objects it was given; keep them typed as our pipes."""
    return [pipe for pipe in pipes if pipe in ready]


def _receive(pipe: Connection) -> tuple[Any, ...]:
    try:
        message: tuple[Any, ...] = pipe.recv()
    except (EOFError, OSError):
        return ("failed", "the process ended without reporting", False)
    return message
