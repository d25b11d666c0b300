"""Who does a change, from which PC, as part of which user action."""

from __future__ import annotations

import getpass
import socket
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from dairy_desktop.domain.stamp import Stamp
from dairy_desktop.domain.text import require_storable_text


def _os_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some service accounts, containers)
        return "unknown"


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True, slots=True)
class Actor:
    operator: str = field(default_factory=_os_login)
    workstation: str = field(default_factory=socket.gethostname)
    correlation_id: str | None = None
    # Stored on the change's audit event under a unique constraint: the same request id sent
    # again changes nothing. None (actors not made for one action) means no such guard.
    request_id: str | None = None

    def for_action(self, request_id: str | None = None) -> Actor:
        """The same person and PC, with a fresh correlation id for one user action, whose
        change carries `request_id` (a retry re-sends the one it was given) or else that
        correlation id."""
        correlation_id = new_correlation_id()
        return replace(self, correlation_id=correlation_id, request_id=request_id or correlation_id)

    def stamp(self, at: datetime) -> Stamp:
        """This person, PC and action, as written on a change made at `at`."""
        return Stamp(at, self.operator, self.workstation, self.correlation_id, self.request_id)


def make_actor(operator: str | None = None) -> Actor:
    operator = require_storable_text(operator or "", field="operator", label="operator name")
    operator = operator.strip()[:128]
    return Actor(operator=operator) if operator else Actor()
