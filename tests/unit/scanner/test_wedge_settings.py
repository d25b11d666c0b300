"""Wedge settings are validated when made, so a typo cannot silently disable scanning."""

from __future__ import annotations

import pytest

from dairy_desktop.ui.scanner.wedge_settings import Terminator, WedgeSettings


def test_the_defaults_are_30_ms_six_characters_and_enter() -> None:
    assert WedgeSettings() == WedgeSettings(30, 6, frozenset({Terminator.ENTER}))


def test_terminators_read_from_a_settings_file_become_a_frozenset() -> None:
    settings = WedgeSettings(terminators=["tab", "cr_lf"])  # type: ignore[arg-type]

    assert settings.terminators == frozenset({Terminator.TAB, Terminator.CR_LF})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_gap_ms": 0}, "max_gap_ms"),
        ({"max_gap_ms": 5000}, "max_gap_ms"),
        ({"min_length": 0}, "min_length"),
        ({"terminators": frozenset()}, "terminator"),
    ],
)
def test_impossible_settings_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WedgeSettings(**kwargs)  # type: ignore[arg-type]


def test_an_unknown_terminator_is_refused() -> None:
    with pytest.raises(ValueError, match="'esc'"):
        WedgeSettings(terminators=["esc"])  # type: ignore[arg-type]
