"""Code 128 / GS1-128 module patterns from python-barcode."""

from __future__ import annotations

import pytest

from dairy_desktop.barcodes.code128 import (
    QUIET_ZONE_MODULES,
    NotEncodable,
    code128_pattern,
    gs1_128_pattern,
    pattern_width_modules,
)

START_B = "11010010000"
START_C = "11010011100"
FNC1 = "11110101110"
STOP = "1100011101011"


def symbols(pattern: str) -> list[str]:
    body = pattern[: -len(STOP)]
    return [body[index : index + 11] for index in range(0, len(body), 11)]


def test_code128_pattern_has_start_symbols_checksum_and_stop() -> None:
    pattern = code128_pattern("SCH-20251204-0001")

    assert pattern.startswith(START_B)
    assert pattern.endswith(STOP)
    assert (len(pattern) - len(STOP)) % 11 == 0
    assert set(pattern) == {"0", "1"}
    # Digit runs go through charset C (two digits a symbol): 16 symbols, not 19.
    assert len(symbols(pattern)) == 16


def test_gs1_128_starts_with_fnc1_and_turns_group_separators_into_fnc1() -> None:
    plain = gs1_128_pattern("17251207" + "10LOT")
    separated = gs1_128_pattern("10LOT7\x1d17251207")

    assert symbols(plain)[:2] == [START_C, FNC1]
    assert symbols(separated)[1] == FNC1
    assert symbols(separated).count(FNC1) == 2


def test_the_same_text_always_gives_the_same_pattern() -> None:
    # python-barcode keeps charset state on its encoder; a shared one would drift.
    assert code128_pattern("AB-1234") == code128_pattern("AB-1234")


@pytest.mark.parametrize("text", ["", "KÄSE"])
def test_text_code128_cannot_carry_is_refused(text: str) -> None:
    with pytest.raises(NotEncodable):
        code128_pattern(text)


def test_width_includes_both_quiet_zones() -> None:
    pattern = code128_pattern("X")

    assert pattern_width_modules(pattern) == len(pattern) + 2 * QUIET_ZONE_MODULES
