"""Read a GS1 element string with biip and keep what a milk batch needs.

AIs used: (10) batch/lot, (11) production date, (17) expiry date, (7003) expiry date and
time, (315n) net volume in litres with n decimals, (01) GTIN kept for the record. Everything
else is read (so a malformed element still refuses the scan) and then ignored.

biip does the parsing; the checks here refuse what biip would quietly repair (it drops every
blank and GS from the bracketed form, so "(10)AB 12" would become batch AB12).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from biip import ParseConfig
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message
from biip.symbology import GS1Symbology, SymbologyIdentifier

from dairy_desktop.barcodes.scan_results import GS1Scan, UnknownScan
from dairy_desktop.barcodes.visible import quoted, said, visible_text
from dairy_desktop.domain.code_example import example_code

GS = "\x1d"
_MILLI = Decimal("0.001")
# One bracketed element, as biip's bracket reader splits them: "(AI)value".
_BRACKETED = re.compile(r"\(\s*(\d+)\s*\)([^(]*)")


class _Refused(Exception):
    """A reason the GS1 data cannot be used; becomes an UnknownScan."""


def read_gs1(
    payload: str,
    *,
    raw: str,
    symbology: SymbologyIdentifier | None,
    separators: tuple[str, ...],
    code_pattern: re.Pattern[str],
    now: datetime,
) -> GS1Scan | UnknownScan:
    """Interpret ``payload`` (symbology identifier already removed) as GS1 data.

    ``now`` is the plant's local time (its zone, if any, is ignored: labels carry none).
    """
    separators = separators_for(payload, separators)
    try:
        elements = _element_strings(payload, separators, symbology)
        return _scan_from(elements, raw, symbology, code_pattern, now)
    except _Refused as refusal:
        reason = f"{quoted(raw)} is GS1 data that cannot be used: {visible_text(str(refusal))}"
    except Exception as exc:  # biip raises ParseError, and IndexError/ValueError on some garbage
        reason = f"{quoted(raw)} looks like GS1 data but could not be read: {said(exc)}"
    return UnknownScan(raw, reason + _substitute_hint(payload, separators))


def separators_for(payload: str, separators: tuple[str, ...]) -> tuple[str, ...]:
    """The FNC1 marks of this scan: only GS when the scan holds a real GS.

    A scanner that can type GS types it for every FNC1, so a substitute character in the
    same scan is data; this lets a CPID (AI 8010, where '#' is legal) read correctly.
    """
    return (GS,) if GS in payload else separators


def _substitute_hint(payload: str, separators: tuple[str, ...]) -> str:
    used = [ch for ch in separators if ch != GS and ch in payload]
    if not used:
        return ""
    return (
        f" Note: this PC reads {used[0]!r} as the FNC1 separator; if the label's data contains "
        f"{used[0]!r} (allowed in AI 8010, CPID), switch the separator substitute off in this "
        "PC's scanner settings."
    )


def looks_like_gs1(payload: str) -> bool:
    """Every GS1 element string starts with a numeric AI; the bracket form with '(' digit."""
    return (
        payload[:2].isdigit()
        or (payload.startswith("(") and payload[1:2].isdigit())
        or payload.lower().startswith(("http://", "https://"))
    )


def is_gs1_symbology(symbology: SymbologyIdentifier | None) -> bool:
    """]C1, ]e0, ]d2, ]Q3: the scanner itself says the data is a GS1 element string."""
    return symbology is not None and symbology.gs1_symbology in GS1Symbology.with_gs1_messages()


def _element_strings(
    payload: str, separators: tuple[str, ...], symbology: SymbologyIdentifier | None
) -> GS1ElementStrings:
    config = ParseConfig(separator_chars=separators)
    # FNC1 in first position is sometimes transmitted (as GS or its substitute): skip it.
    data = payload.lstrip("".join(separators))
    if data.startswith("("):
        if is_gs1_symbology(symbology):
            raise _Refused(
                f"after {symbology} (a GS1 barcode) a scanner sends the element string "
                "without brackets; text in brackets is the line printed under the barcode. "
                f"Scan the barcode itself, or type the text without {symbology}."
            )
        _check_bracketed(payload)
        return GS1Message.parse_hri(payload, config=config).element_strings
    if payload.lower().startswith(("http://", "https://")):
        return GS1DigitalLinkURI.parse(payload, config=config).element_strings
    blank = next((ch for ch in data if ch.isspace() and ch not in separators), None)
    if blank is not None:
        raise _Refused(
            f"it contains {visible_text(blank) if blank != ' ' else 'a space'}, which no GS1 "
            "element string holds; check the scanner's settings or rescan."
        )
    return GS1Message.parse(data, config=config).element_strings


def _check_bracketed(payload: str) -> None:
    """Refuse what biip's bracket reader would drop silently: GS and blanks inside data."""
    control = next((ch for ch in payload if not ch.isprintable()), None)
    if control is not None:
        raise _Refused(
            f"the bracketed form is printed text and never holds {visible_text(control)}; "
            "type the text as printed, or scan the barcode."
        )
    for ai, value in _BRACKETED.findall(payload):
        if any(ch.isspace() for ch in value.strip()):
            raise _Refused(
                f"the value of AI {ai}, {value.strip()!r}, holds a space; GS1 values never "
                "do (blanks are allowed only around the brackets)."
            )


def _scan_from(
    elements: GS1ElementStrings,
    raw: str,
    symbology: SymbologyIdentifier | None,
    code_pattern: re.Pattern[str],
    now: datetime,
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
    expiry_day = _date(elements, "17")
    expiry_moment = _expiry_datetime(elements)
    expiry = expiry_day if expiry_day is not None else _day_of(expiry_moment)
    gtin = _single(elements, "01")
    matches = code_pattern.fullmatch(batch.value) is not None
    return GS1Scan(
        raw=raw,
        batch_code=batch.value,
        code_matches_pattern=matches,
        production_date=production,
        expiry_date=expiry,
        net_volume_liters=_net_volume(elements),
        gtin=gtin.value if gtin is not None else None,
        symbology=str(symbology) if symbology is not None else None,
        production_date_in_future=production is not None and production > now.date(),
        expiry_before_production=(
            production is not None and expiry is not None and expiry < production
        ),
        expiry_datetime=expiry_moment,
        expiry_passed=_passed(expiry_day, expiry_moment, now),
        expiry_dates_disagree=(
            expiry_day is not None
            and expiry_moment is not None
            and expiry_day != expiry_moment.date()
        ),
        code_example=None if matches else example_code(code_pattern.pattern),
    )


def _expiry_datetime(elements: GS1ElementStrings) -> datetime | None:
    element = _single(elements, "7003")
    if element is None:
        return None
    if element.datetime is None:  # biip reads hour 99 and minute 99 as "no time"
        raise _Refused(f"expiry date and time {element.value} (AI 7003) has no valid time.")
    return element.datetime


def _day_of(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def _passed(day: date | None, moment: datetime | None, now: datetime) -> bool:
    """(7003) has passed when its minute has come; (17) when its day is before today."""
    local_now = now.replace(tzinfo=None)
    by_time = moment is not None and moment <= local_now
    by_day = day is not None and day < local_now.date()
    return by_time or by_day


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
