"""GS1 element strings for batch labels: (17) expiry date, (7003) expiry date and time,
(315n) litres, (10) batch code.

Pure, no Qt. The element string is what a scanner in GS1 mode hands over after the `]C1`
symbology identifier; GS (ASCII 29) ends every element whose AI is not of predefined length
(GS1 General Specifications 7.8.5) when another element follows: (10) is variable, and
(7003), though always ten digits, is not in GS1's predefined-length table either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
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
    separator_required: bool = False
    """A GS must follow when another element comes after this one."""


def lot_element(code: str) -> Gs1Element:
    """(10) batch/lot number, or InvalidInput when the code cannot be carried in GS1."""
    if len(code) > MAX_LOT_LENGTH or not _CSET_82.fullmatch(code):
        raise InvalidInput(
            f"Batch code {code!r} cannot go into a GS1-128 barcode: GS1 (10) allows at most "
            f"{MAX_LOT_LENGTH} letters, digits and basic punctuation.",
            field="code",
        )
    return Gs1Element("10", code, separator_required=True)


def expiry_element(expiry: date) -> Gs1Element:
    return Gs1Element("17", expiry.strftime("%y%m%d"))


def expiry_time_element(expires: datetime) -> Gs1Element:
    """(7003) YYMMDDHHMM in the zone ``expires`` is given in (the plant's, on a label).

    Seconds are dropped, never rounded up: the label may say the milk expires up to a
    minute early, never late.
    """
    return Gs1Element("7003", expires.strftime("%y%m%d%H%M"), separator_required=True)


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


def gs1_label_elements(
    code: str, expiry: date | datetime, liters: Decimal
) -> tuple[Gs1Element, ...]:
    """The label's elements: (17), (7003) when ``expiry`` has a time, (315n), then (10).

    ``expiry`` is local to the plant: GS1 dates and times carry no zone. The variable (10)
    goes last, where it needs no separator.
    """
    return gs1_label_choices(code, expiry, liters)[0]


def gs1_label_choices(
    code: str, expiry: date | datetime, liters: Decimal
) -> tuple[tuple[Gs1Element, ...], ...]:
    """What a label's GS1-128 may carry, fullest first, for a label too narrow for all.

    Each 2 cm of barcode costs a label its fit: (17)+(7003)+(315n)+(10) with a 17-letter
    code needs about 104 mm of bars. The litres go first (the label's text says them), then
    the hour (the text says it too); (17) and (10) always stay.
    """
    day = expiry_element(expiry)
    hour = expiry_time_element(expiry) if isinstance(expiry, datetime) else None
    volume = volume_element(liters)
    lot = lot_element(code)
    choices: list[tuple[Gs1Element, ...]] = []
    for with_hour, with_volume in ((True, True), (True, False), (False, True), (False, False)):
        extra = [
            element
            for element, wanted in ((hour, with_hour), (volume, with_volume))
            if element is not None and wanted
        ]
        choice = (day, *extra, lot)
        if choice not in choices:
            choices.append(choice)
    return tuple(choices)


def element_string(elements: Sequence[Gs1Element]) -> str:
    """Concatenate elements, with GS after every one that requires it and is not last."""
    parts: list[str] = []
    for index, element in enumerate(elements):
        parts.append(element.ai + element.value)
        if element.separator_required and index < len(elements) - 1:
            parts.append(GROUP_SEPARATOR)
    return "".join(parts)


def human_readable(elements: Sequence[Gs1Element]) -> str:
    """'(17)251207(7003)2512070630(3150)012500(10)SCH-20251204-0001', under the barcode."""
    return "".join(f"({element.ai}){element.value}" for element in elements)


def gs1_label_payload(code: str, expiry: date | datetime, liters: Decimal) -> str:
    """GS1 element string for a batch label (see gs1_label_elements)."""
    return element_string(gs1_label_elements(code, expiry, liters))
