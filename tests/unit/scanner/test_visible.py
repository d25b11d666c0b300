"""Scanned text is shown with its control characters visible, never acted upon."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairy_desktop.barcodes.visible import visible_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("SCH-20251204-0001", "SCH-20251204-0001"),
        ("]C110ABC\x1d17251211\r\n", "]C110ABC<GS>17251211<CR><LF>"),
        ("A\tB", "A<TAB>B"),
        ("[)>\x1e06\x1d10ABC\x1e\x04", "[)><RS>06<GS>10ABC<RS><EOT>"),
        ("\x07\x00\x7f", "\\x07\\x00\\x7f"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("Müller 12", "Müller 12"),
        ("", ""),
    ],
)
def test_control_characters_become_visible(raw: str, shown: str) -> None:
    assert visible_text(raw) == shown


@given(st.text())
def test_the_result_is_always_printable(raw: str) -> None:
    assert visible_text(raw).isprintable()


@given(st.text(st.characters().filter(str.isprintable)))
def test_printable_text_is_left_alone(raw: str) -> None:
    assert visible_text(raw) == raw
