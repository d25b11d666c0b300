"""One log line per user action, carrying the correlation id its audit event carries too,
so support can match a complaint, a log line and an audit row."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from dairy_desktop.domain.errors import DairyError

log = logging.getLogger("dairy_desktop.actions")

P = ParamSpec("P")
R = TypeVar("R")
_QUIET = {"actor", "now"}


def _outcome(result: Any) -> str:
    batch = getattr(result, "batch", result)
    code, remaining, version = (
        getattr(batch, n, None) for n in ("code", "remaining_ml", "version")
    )
    return f"{code}: {remaining} mL left, version {version}" if code else "done"


def logged_action(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def wrap(action: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(action)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            if not log.isEnabledFor(logging.INFO):
                # Nobody reads the line: a consume is cheaper without building it.
                return action(*args, **kwargs)
            actor = kwargs.get("actor")
            who = (
                f"[{getattr(actor, 'correlation_id', None) or '-'}] "
                f"{getattr(actor, 'operator', '?')}@{getattr(actor, 'workstation', '?')}"
            )
            request = ", ".join(
                [
                    *(repr(a) for a in args[1:]),
                    *(f"{k}={v!r}" for k, v in kwargs.items() if k not in _QUIET),
                ]
            )
            try:
                result = action(*args, **kwargs)
            except DairyError as refusal:
                log.info("%s %s refused (%s): %s", who, name, request, refusal)
                raise
            log.info("%s %s (%s) → %s", who, name, request, _outcome(result))
            return result

        return run

    return wrap
