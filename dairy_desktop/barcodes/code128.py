"""Code 128 and GS1-128 module patterns, encoded by python-barcode. Pure, no Qt.

A pattern is a string of '1' (bar) and '0' (space) modules, start to stop, without quiet
zones; `barcode_paint` draws it as vector rectangles.
"""

from __future__ import annotations

from barcode.codex import Code128, Gs1_128
from barcode.errors import BarcodeError

from dairy_desktop.barcodes.gs1_encode import GROUP_SEPARATOR

# Code 128 needs at least ten modules of blank space on each side to be found by a scanner.
QUIET_ZONE_MODULES = 10


class NotEncodable(ValueError):
    """Text that Code 128 cannot carry (e.g. letters outside ASCII)."""


def code128_pattern(text: str) -> str:
    """Modules of a Code 128 symbol carrying `text` (charsets chosen by python-barcode)."""
    return _pattern(Code128, text)


def gs1_128_pattern(element_string: str) -> str:
    """Modules of a GS1-128 symbol: FNC1 first, and FNC1 wherever the string has a GS."""
    # python-barcode spells FNC1 as '\xf1' and adds the leading one itself.
    return _pattern(Gs1_128, element_string.replace(GROUP_SEPARATOR, Gs1_128.FNC1_CHAR))


def _pattern(kind: type[Code128], text: str) -> str:
    if not text:
        raise NotEncodable("Nothing to encode: the text is empty.")
    try:
        # A fresh encoder each time: python-barcode keeps charset state on the instance.
        modules: list[str] = kind(text).build()
    except (BarcodeError, KeyError, RuntimeError) as exc:
        raise NotEncodable(f"{text!r} cannot be encoded as {kind.name}: {exc}") from None
    return modules[0]


def pattern_width_modules(pattern: str) -> int:
    """Width including both quiet zones, in modules."""
    return len(pattern) + 2 * QUIET_ZONE_MODULES
