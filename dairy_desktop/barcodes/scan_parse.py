"""Classify one scan: plain batch code, GS1 data, order id, or not understood.

Pure (no Qt). Never raises for any scanned text; a bad *setting* (code pattern, GS
substitute) raises, because that is a configuration mistake to fix, not a scan to refuse.
"""

from __future__ import annotations

import re
from datetime import datetime

from biip.gtin import Gtin
from biip.symbology import GS1Symbology, SymbologyIdentifier

from dairy_desktop.barcodes.gs1_decode import GS, is_gs1_symbology, looks_like_gs1, read_gs1
from dairy_desktop.barcodes.scan_results import BatchScan, OrderScan, ScanResult, UnknownScan
from dairy_desktop.barcodes.visible import quoted, said, visible_text
from dairy_desktop.domain.code_example import example_code
from dairy_desktop.domain.codes import ORDER_ID_PATTERN, compile_code_pattern

__all__ = ["parse_scan", "visible_text"]

# Terminators and padding a scanner may leave around the data.
_AROUND = " \t\r\n"
# GS1's character sets 82 and 39 never contain these, so they are safe FNC1 stand-ins.
_SAFE_SUBSTITUTES = frozenset("#$@[\\^`{|}~")
_ORDER = re.compile(ORDER_ID_PATTERN, re.ASCII)  # as domain.codes: 0-9 only


def parse_scan(
    raw: str,
    *,
    code_pattern: str,
    gs_substitute: str | None = "#",
    now: datetime,
) -> ScanResult:
    """Say what ``raw`` (one scan, terminator included or not) is.

    ``gs_substitute`` is the character a scanner types for FNC1 when it cannot type ASCII GS;
    None means no substitute, so '#' is data (as AI 8010 allows). A scan holding a real GS
    reads any substitute as data too.
    ``now`` is the plant's local time: GS1 dates and times carry no zone, and say whether
    the label's production is in the future and its expiry passed.

    A GS1 symbology identifier (]C1, ]e0, ]d2, ]Q3) means GS1 data whatever the plant's
    code pattern says; a GTIN one (]E0, ]E4, ]I1) a product barcode.
    """
    pattern = compile_code_pattern(code_pattern)
    separators = _separators(gs_substitute)
    text = raw.strip(_AROUND)
    if not text:
        what = f"only {visible_text(raw)} was received" if raw else "no characters were received"
        return UnknownScan(raw, f"Empty scan: {what}.")
    symbology, payload = _split_symbology(text)
    if not payload:
        return UnknownScan(
            raw, f"{quoted(raw)} has a symbology identifier ({symbology}) but no data."
        )
    gs1_symbology = symbology.gs1_symbology if symbology is not None else None
    if gs1_symbology in GS1Symbology.with_gtin():
        return _product_code(payload, raw)
    if is_gs1_symbology(symbology):
        return _gs1(payload, raw, symbology, separators, pattern, now)
    plain = _plain(payload, raw, pattern)
    if plain is not None:
        return plain
    if _wants_gs1(payload, symbology, separators):
        result = _gs1(payload, raw, symbology, separators, pattern, now)
        if isinstance(result, UnknownScan) and symbology is None and _gtin_sized(payload):
            return _product_code(payload, raw)
        return result
    return UnknownScan(
        raw,
        f"{quoted(raw)} ({_characters(len(text))}) is not a batch code "
        f"({_like(example_code(pattern.pattern))}), an order id "
        f"({_like(example_code(ORDER_ID_PATTERN))}) or GS1 data; "
        "check the label or type the code.",
    )


def _like(example: str | None) -> str:
    return f"such as {example}" if example else "in this plant's format"


def _gs1(
    payload: str,
    raw: str,
    symbology: SymbologyIdentifier | None,
    separators: tuple[str, ...],
    pattern: re.Pattern[str],
    now: datetime,
) -> ScanResult:
    return read_gs1(
        payload,
        raw=raw,
        symbology=symbology,
        separators=separators,
        code_pattern=pattern,
        now=now,
    )


def _separators(gs_substitute: str | None) -> tuple[str, ...]:
    if gs_substitute is None:
        return (GS,)
    if len(gs_substitute) != 1 or gs_substitute not in _SAFE_SUBSTITUTES:
        raise ValueError(
            f"GS substitute {gs_substitute!r} must be one character that never occurs in GS1 "
            f"data: one of {''.join(sorted(_SAFE_SUBSTITUTES))}."
        )
    return (GS, gs_substitute)


def _split_symbology(text: str) -> tuple[SymbologyIdentifier | None, str]:
    """Remove a leading symbology identifier (``]C1``, ``]d2``, ``]Q3``, ``]E0`` ...)."""
    if not text.startswith("]"):
        return None, text
    try:
        symbology = SymbologyIdentifier.extract(text)
    except Exception:  # biip raises ParseError, IndexError or ValueError on odd prefixes
        return None, text
    if not (symbology.modifiers.isascii() and symbology.modifiers.isalnum()):
        return None, text  # ISO/IEC 15424 modifiers are letters or digits; this is data
    return symbology, text[len(symbology) :]


def _plain(payload: str, raw: str, pattern: re.Pattern[str]) -> BatchScan | OrderScan | None:
    # A wedge scanner with Caps Lock on types every letter in the opposite case; the plant's
    # codes are upper case, so an upper-cased match is the same label, read back correctly.
    if pattern.fullmatch(payload):
        return BatchScan(raw, payload)
    if _ORDER.fullmatch(payload):
        return OrderScan(raw, payload)
    upper = payload.upper()
    if upper != payload and pattern.fullmatch(upper):
        return BatchScan(raw, upper, case_corrected=True)
    if upper != payload and _ORDER.fullmatch(upper):
        return OrderScan(raw, upper, case_corrected=True)
    return None


def _wants_gs1(
    payload: str, symbology: SymbologyIdentifier | None, separators: tuple[str, ...]
) -> bool:
    if payload.lower().startswith(("http://", "https://")):
        return True  # GS1 Digital Link URIs come in plain QR codes (]Q1) too
    return symbology is None and looks_like_gs1(payload.lstrip("".join(separators)))


def _gtin_sized(payload: str) -> bool:
    return payload.isdigit() and len(payload) in (8, 12, 13, 14)


def _product_code(payload: str, raw: str) -> UnknownScan:
    try:
        gtin = Gtin.parse(payload)
    except Exception as exc:  # biip raises ParseError; be safe with anything else
        return UnknownScan(
            raw, f"{quoted(raw)} is a product barcode that is not valid: {said(exc)}"
        )
    return UnknownScan(
        raw,
        f"{quoted(raw)} is a product barcode (GTIN {gtin.value}) with no batch number; "
        "scan the batch label instead.",
    )


def _characters(count: int) -> str:
    return "1 character" if count == 1 else f"{count} characters"
