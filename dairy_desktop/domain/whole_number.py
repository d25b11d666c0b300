"""Whole numbers typed as text (shelf life, days, versions): ASCII digits only.

Python's int() also reads '١٠', '１０', '1_0' and '+5'; a plant's paperwork means none of
them, so each is refused rather than guessed at.
"""

from __future__ import annotations

import re

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted

_DIGITS = re.compile(r"-?[0-9]+", re.ASCII)
# More digits than any bound here has: refused before int() is asked to read them.
_MAX_DIGITS = 19


def parse_whole_number(
    value: int | str, *, label: str, field: str, minimum: int, maximum: int
) -> int:
    """`value` as an int within [minimum, maximum], or InvalidInput naming the `label`."""
    if isinstance(value, bool):
        raise InvalidInput(f"{label} must be a whole number, not {value}.", field=field)
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        if not _DIGITS.fullmatch(text):
            raise InvalidInput(
                f"{label} {quoted(text)} is not a whole number: write digits 0-9 only, e.g. 5.",
                field=field,
            )
        if len(text.lstrip("-")) > _MAX_DIGITS:
            raise InvalidInput(
                f"{label} must be {minimum}–{maximum} (got a number of "
                f"{len(text.lstrip('-'))} digits).",
                field=field,
            )
        number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidInput(f"{label} must be {minimum}–{maximum} (got {number}).", field=field)
    return number
