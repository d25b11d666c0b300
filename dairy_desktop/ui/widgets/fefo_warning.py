"""The FEFO warning both consume dialogs show: a later-expiring batch is chosen while an
earlier one alone has enough (domain.fefo.earlier_batch_with_enough).

A warning, not a refusal: the operator may have a reason (the earlier tank is on the
other side of the plant), but taking the later milk leaves the older to expire.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dairy_desktop.domain.fefo import Candidate, earlier_batch_with_enough
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.ui.widgets.locale_decimal import format_decimal
from dairy_desktop.ui.widgets.time_format import local_time_text


def fefo_warning(takes: Sequence[tuple[str, int]], candidates: Sequence[Candidate]) -> str:
    """The warning for the first of `takes` (code, mL) that has an earlier-expiring batch
    with enough, or "" when FEFO has nothing to say. An earlier batch's litres count less
    what the same split already takes from it: a proposal that uses it up and goes on to
    the next batch is FEFO, not a reason to warn."""
    taken = dict(takes)
    left = [replace(c, available_ml=c.available_ml - taken.get(c.code, 0)) for c in candidates]
    for code, milliliters in takes:
        if milliliters <= 0:
            continue
        earlier = earlier_batch_with_enough(code, milliliters, left)
        if earlier is not None:
            liters = format_decimal(from_milliliters(milliliters), 3)
            has = format_decimal(from_milliliters(earlier.available_ml), 3)
            return (
                f"FEFO: batch {earlier.code} expires earlier "
                f"({local_time_text(earlier.expires_at)}) and alone has {has} L available; "
                f"taking {liters} L from {code} instead leaves older milk to expire."
            )
    return ""


def with_chosen(chosen: Candidate, earlier: Sequence[Candidate]) -> list[Candidate]:
    """The chosen batch among the earlier ones: what earlier_batch_with_enough compares."""
    return [*earlier, chosen]
