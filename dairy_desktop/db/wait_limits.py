"""How long anything may wait on PostgreSQL: settings, with defaults that give a silent
server or network an answer (exit 6) within 15 s and free a lock a vanished client held
within 15 s.

Each can be changed per PC with an environment variable (seconds), e.g.
DAIRY_DESKTOP_STATEMENT_TIMEOUT_S=30 for a slow report server. A URL that sets libpq's
`options` or `tcp_user_timeout` itself keeps its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

ENV_PREFIX = "DAIRY_DESKTOP_"


@dataclass(frozen=True, slots=True)
class WaitLimits:
    # The server drops a session left inside a transaction this long (its client is gone):
    # the row locks it held are released. Nothing of ours holds a transaction open this long.
    idle_in_transaction_timeout_s: float = 4
    # A statement waiting for another session's row lock gives up after this: longer than
    # the idle limit above, so a lock a vanished client held is freed before we give up.
    lock_timeout_s: float = 6
    # The server cancels any one statement that runs longer.
    statement_timeout_s: float = 8
    # The client gives up on an answer that has not come after this (db/answer_deadline.py):
    # a silent server or network, which the server's own limits cannot reach. With a
    # reconnect attempt (3 s at most) a silent server is reported within 15 s.
    answer_timeout_s: float = 10
    # Data sent but not acknowledged by the server's machine for this long closes the
    # connection (TCP_USER_TIMEOUT).
    tcp_user_timeout_s: float = 8

    @classmethod
    def from_environment(cls) -> WaitLimits:
        values: dict[str, float] = {}
        for spec in fields(cls):
            raw = os.environ.get(ENV_PREFIX + spec.name.upper())
            if raw:
                try:
                    value = float(raw)
                except ValueError:
                    continue  # a typo must not stop the app; the default applies
                if value > 0:
                    values[spec.name] = value
        return cls(**values)

    def session_options(self) -> str:
        """libpq's `options`: the server-side limits, set when the session starts."""
        settings = {
            "statement_timeout": self.statement_timeout_s,
            "lock_timeout": self.lock_timeout_s,
            "idle_in_transaction_session_timeout": self.idle_in_transaction_timeout_s,
            # The server's side of the same connection: a client machine that vanished
            # mid-send is noticed by the server too.
            "tcp_user_timeout": self.tcp_user_timeout_s,
        }
        return " ".join(f"-c {name}={round(s * 1000)}" for name, s in settings.items())
