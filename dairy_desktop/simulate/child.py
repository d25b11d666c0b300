"""The code that runs inside each spawned workstation process.

Protocol on the process's pipe: ("ready",) once connected, then, after the parent's go
signal, ("done", tally) — or ("failed", message, unavailable) at any point. Importable by
name and with picklable arguments only: "spawn" re-imports this module in a fresh interpreter.
"""

from __future__ import annotations

import signal
import traceback
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

from dairy_desktop.db.database import open_database
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.session import AppSession
from dairy_desktop.simulate.workstation import Workstation


def workstation_process(
    url: str,
    run: str,
    name: str,
    codes: range,
    seed: int,
    duration_s: float,
    go_timeout_s: float,
    go: Event,
    pipe: Connection,
) -> None:
    # Ctrl-C reaches the whole process group; the parent decides, and stops everyone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        session = AppSession(
            open_database(url, upgrade=False), Actor(operator=f"sim-{name}", workstation=name)
        )
        session.ping()  # connect before the start, so connecting is not part of the run
    except BaseException as error:
        pipe.send(("failed", f"{name}: {error}", isinstance(error, DatabaseUnavailable)))
        return
    try:
        pipe.send(("ready",))
        if not go.wait(go_timeout_s):
            pipe.send(("failed", f"{name}: no start signal within {go_timeout_s:.0f} s", False))
            return
        tally = Workstation(session, run, codes, seed).work_for(duration_s)
        pipe.send(("done", tally))
    except BaseException:
        pipe.send(("failed", f"{name}: {traceback.format_exc(limit=5)}", False))
    finally:
        session.close()
