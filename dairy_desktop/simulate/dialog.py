"""A dialog's submit, the way the window does it: with the version the operator was shown.

On a conflict the window shows the conflict prompt; accepting it reloads the dialog with the
state the conflict carries (no extra read), the operator re-checks it (enough left? still not
deleted?) and submits again with the new version, or closes the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import VersionConflict
from dairy_desktop.simulate.config import MAX_RELOADS
from dairy_desktop.simulate.tally import Tally

T = TypeVar("T")


def submit_with_reloads(
    tally: Tally,
    operation: str,
    loaded: Batch,
    *,
    still_makes_sense: Callable[[Batch], bool],
    submit: Callable[[Batch], T],
    recheck: Callable[[], None],
) -> T | None:
    """What the submit returned (the changed batch, or the change), or None if the operator
    gave up. Refusals propagate."""
    shown = loaded
    for attempt in range(MAX_RELOADS + 1):
        if not still_makes_sense(shown):
            tally.gave_up += 1
            return None
        if attempt:
            tally.resubmits += 1
        try:
            return tally.run(operation, partial(submit, shown))
        except VersionConflict as conflict:
            tally.reloads += 1
            shown = conflict.current
            recheck()
    tally.gave_up += 1
    return None
