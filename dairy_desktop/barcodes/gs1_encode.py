"""GS1 element strings for batch labels: (17) expiry date, (315n) litres, (10) batch code.

Pure, no Qt. The element string is what a scanner in GS1 mode hands over after the `]C1`
symbology identifier; GS (ASCII 29) separates a variable-length element from the next one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dairy_desktop.domain.errors import InvalidInput

GROUP_SEPARATOR = "\x1d"
MAX_LOT_LENGTH = 20
# GS1 "character set 82", the only characters AI (10) may carry.
_CSET_82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+")
_VOLUME_DIGITS = 6


@dataclass(frozen=True, slots=True)
class Gs1Element:
    ai: str
    value: str
    variable_length: bool = False


def lot_element(code: str) -> Gs1Element:
    """(10) batch/lot number, or InvalidInput when the code cannot be carried in GS1."""
    if len(code) > MAX_LOT_LENGTH or not _CSET_82.fullmatch(code):
        raise InvalidInput(
            f"Batch code {code!r} cannot go into a GS1-128 barcode: GS1 (10) allows at most "
            f"{MAX_LOT_LENGTH} letters, digits and basic punctuation.",
            field="code",
        )
    return Gs1Element("10", code, variable_length=True)


def expiry_element(expiry: date) -> Gs1Element:
    return Gs1Element("17", expiry.strftime("%y%m%d"))


def volume_element(liters: Decimal) -> Gs1Element | None:
    """(315n) net volume in litres with n decimals, or None when it cannot be exact.

    n is the fewest decimals that carry the value exactly (0–3). A volume that needs more
    than six digits (e.g. 30,000.125 L) is left out rather than rounded: the label text still
    shows the exact litres, and a barcode must never claim a different amount.
    """
    exponent = liters.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    if liters < 0 or decimals > 3:
        return None
    value = int(liters.scaleb(decimals))
    if value >= 10**_VOLUME_DIGITS:
        return None
    return Gs1Element(f"315{decimals}", f"{value:0{_VOLUME_DIGITS}d}")


def gs1_label_elements(code: str, expiry: date, liters: Decimal) -> tuple[Gs1Element, ...]:
    """The label's elements, fixed-length first so the variable (10) needs no separator."""
    elements = [expiry_element(expiry)]
    volume = volume_element(liters)
    if volume is not None:
        elements.append(volume)
    elements.append(lot_element(code))
    return tuple(elements)


def element_string(elements: Sequence[Gs1Element]) -> str:
    """Concatenate elements, with GS after every variable-length one that is not last."""
    parts: list[str] = []
    for index, element in enumerate(elements):
        parts.append(element.ai + element.value)
        if element.variable_length and index < len(elements) - 1:
            parts.append(GROUP_SEPARATOR)
    return "".join(parts)


def human_readable(elements: Sequence[Gs1Element]) -> str:
    """'(17)251207(3150)012500(10)SCH-20251204-0001', printed under the barcode."""
    return "".join(f"({element.ai}){element.value}" for element in elements)


def gs1_label_payload(code: str, expiry: date, liters: Decimal) -> str:
    """GS1 element string for a batch label: (17) expiry date, (315n) litres, (10) code."""
    return element_string(gs1_label_elements(code, expiry, liters))
