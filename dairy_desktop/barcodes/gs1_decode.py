"""Read a GS1 element string with biip and keep what a milk batch needs.

AIs used: (10) batch/lot, (11) production date, (17) expiry date, (315n) net volume in
litres with n decimals, (01) GTIN kept for the record. Everything else is read (so a
malformed element still refuses the scan) and then ignored.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from biip import ParseConfig
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message

from dairy_desktop.barcodes.scan_results import GS1Scan, UnknownScan
from dairy_desktop.barcodes.visible import quoted, said, visible_text

GS = "\x1d"
_MILLI = Decimal("0.001")


class _Refused(Exception):
    """A reason the GS1 data cannot be used; becomes an UnknownScan."""


def read_gs1(
    payload: str,
    *,
    raw: str,
    symbology: str | None,
    separators: tuple[str, ...],
    code_pattern: re.Pattern[str],
    today: date,
) -> GS1Scan | UnknownScan:
    """Interpret ``payload`` (symbology identifier already removed) as GS1 data."""
    try:
        elements = _element_strings(payload, separators)
        return _scan_from(elements, raw, symbology, code_pattern, today)
    except _Refused as refusal:
        return UnknownScan(
            raw, f"{quoted(raw)} is GS1 data that cannot be used: {visible_text(str(refusal))}"
        )
    except Exception as exc:  # biip raises ParseError, and IndexError/ValueError on some garbage
        return UnknownScan(
            raw, f"{quoted(raw)} looks like GS1 data but could not be read: {said(exc)}"
        )


def looks_like_gs1(payload: str) -> bool:
    """Every GS1 element string starts with a numeric AI; the bracket form with '(' digit."""
    return (
        payload[:2].isdigit()
        or (payload.startswith("(") and payload[1:2].isdigit())
        or payload.lower().startswith(("http://", "https://"))
    )


def _element_strings(payload: str, separators: tuple[str, ...]) -> GS1ElementStrings:
    config = ParseConfig(separator_chars=separators)
    if payload.startswith("("):
        return GS1Message.parse_hri(payload, config=config).element_strings
    if payload.lower().startswith(("http://", "https://")):
        return GS1DigitalLinkURI.parse(payload, config=config).element_strings
    # FNC1 in first position is sometimes transmitted (as GS or its substitute): skip it.
    return GS1Message.parse(payload.lstrip("".join(separators)), config=config).element_strings


def _scan_from(
    elements: GS1ElementStrings,
    raw: str,
    symbology: str | None,
    code_pattern: re.Pattern[str],
    today: date,
) -> GS1Scan:
    for element in elements:
        error = element.gtin_error or element.sscc_error or element.gln_error
        if error:
            raise _Refused(f"{element.ai.data_title} {element.value} (AI {element.ai.ai}): {error}")
    batch = _single(elements, "10")
    if batch is None:
        hri = "".join(element.as_hri() for element in elements)
        raise _Refused(f"it carries {hri} but no batch/lot number (AI 10), so no batch to look up.")
    production = _date(elements, "11")
    expiry = _date(elements, "17")
    gtin = _single(elements, "01")
    return GS1Scan(
        raw=raw,
        batch_code=batch.value,
        code_matches_pattern=code_pattern.fullmatch(batch.value) is not None,
        production_date=production,
        expiry_date=expiry,
        net_volume_liters=_net_volume(elements),
        gtin=gtin.value if gtin is not None else None,
        symbology=symbology,
        production_date_in_future=production is not None and production > today,
        expiry_before_production=(
            production is not None and expiry is not None and expiry < production
        ),
    )


def _single(elements: GS1ElementStrings, ai: str) -> GS1ElementString | None:
    """The element for ``ai`` (a prefix, as biip matches), refusing conflicting repeats."""
    found = elements.filter(ai=ai)
    if len({(element.ai.ai, element.value) for element in found}) > 1:
        shown = ", ".join(element.as_hri() for element in found)
        raise _Refused(f"AI {ai} appears more than once with different values ({shown}).")
    return found[0] if found else None


def _date(elements: GS1ElementStrings, ai: str) -> date | None:
    element = _single(elements, ai)
    # biip already turned YYMMDD into a date, day 00 meaning the last day of the month.
    return element.date if element is not None else None


def _net_volume(elements: GS1ElementStrings) -> Decimal | None:
    """Litres from AI 315n (n = decimals); refused when not a whole number of millilitres."""
    element = _single(elements, "315")
    if element is None or element.decimal is None:
        return None
    litres: Decimal = element.decimal
    decimals = int(element.ai.ai[3])
    if decimals > 3:
        if litres != litres.quantize(_MILLI):
            raise _Refused(
                f"net volume {litres} L (AI {element.ai.ai}) has {decimals} decimal places "
                "and is not a whole number of millilitres."
            )
        litres = litres.quantize(_MILLI)
    return litres
