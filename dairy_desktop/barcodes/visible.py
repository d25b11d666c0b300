"""Show scanned text safely: control characters become visible tokens."""

from __future__ import annotations

# Named tokens for the control characters barcode scanners really send: GS is GS1's FNC1,
# RS/EOT frame ISO 15434 DataMatrix envelopes, CR/LF/TAB are terminators.
_NAMED = {
    "\x1d": "<GS>",
    "\x1e": "<RS>",
    "\x1c": "<FS>",
    "\x04": "<EOT>",
    "\x1b": "<ESC>",
    "\r": "<CR>",
    "\n": "<LF>",
    "\t": "<TAB>",
}


def visible_text(raw: str) -> str:
    """Return ``raw`` with every non-printable character shown as a token.

    Named controls read as ``<GS>``, ``<CR>``, ``<LF>``, ``<TAB>`` and so on; any other
    non-printable character is shown Python-style (``\\x07``, ``\\u200b``), so nothing in a
    scan log can hide, beep or break a line.
    """
    return "".join(_NAMED.get(ch) or (ch if ch.isprintable() else ascii(ch)[1:-1]) for ch in raw)


def quoted(raw: str, *, limit: int = 60) -> str:
    """``raw`` made visible, quoted and cut to ``limit`` characters for a message."""
    shown = visible_text(raw)
    if len(shown) > limit:
        shown = shown[:limit] + "…"
    return f"'{shown}'"


def said(exc: Exception) -> str:
    """A library's error message made safe to show: it may quote the scan raw or escaped."""
    text = str(exc) or type(exc).__name__
    return visible_text(text.replace("\\x1d", "<GS>"))
