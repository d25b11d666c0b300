"""`--help` explains every option of every command and ends with the exit codes."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

import pytest

from dairy_desktop.__main__ import main
from dairy_desktop.cli import exit_codes
from dairy_desktop.cli.help_text import all_parsers
from dairy_desktop.cli.parser import GLOBAL_OPTIONS, build_parser
from dairy_desktop.domain.status import BatchStatus

PARSERS = list(all_parsers(build_parser()))


def _name(parser: argparse.ArgumentParser) -> str:
    return parser.prog


def _exit_code_table(help_text: str) -> dict[int, str]:
    """The codes and meanings after "exit codes:", wrapped lines joined again."""
    assert "\nexit codes:\n" in help_text
    table: dict[int, str] = {}
    for line in help_text.split("\nexit codes:\n", 1)[1].splitlines():
        numbered = re.match(r"  (\d+)\s+(.*)", line)
        if numbered:
            code = int(numbered[1])
            table[code] = numbered[2]
        else:
            table[code] += " " + line.strip()
    return table


def test_the_walk_reaches_every_command() -> None:
    names = {_name(p) for p in PARSERS}
    assert {
        "dairy-desktop",
        "dairy-desktop batches list",
        "dairy-desktop audit verify",
        "dairy-desktop audit settings",
        "dairy-desktop audit reverse",
        "dairy-desktop batches qa",
        "dairy-desktop batches hold",
        "dairy-desktop batches release",
        "dairy-desktop batches recall",
        "dairy-desktop batches dispose",
        "dairy-desktop db grants",
        "dairy-desktop print-label",
        "dairy-desktop orders pick",
        "dairy-desktop orders consume",
        "dairy-desktop orders reserve",
        "dairy-desktop orders reservations",
        "dairy-desktop orders unreserve",
        "dairy-desktop trace batch",
        "dairy-desktop trace order",
        "dairy-desktop trace recall",
        "dairy-desktop plan",
        "dairy-desktop report consumption",
    } <= names
    assert len(names) == len(PARSERS) == 37


@pytest.mark.parametrize("parser", PARSERS, ids=_name)
def test_every_option_and_sub_command_has_help(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        assert (action.help or "").strip(), (parser.prog, action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for listed in action._choices_actions:
                assert (listed.help or "").strip(), (parser.prog, listed.dest)
    assert parser.description, parser.prog


@pytest.mark.parametrize("parser", PARSERS, ids=_name)
def test_every_help_ends_with_the_exit_code_table(parser: argparse.ArgumentParser) -> None:
    text = parser.format_help()
    assert _exit_code_table(text) == dict(exit_codes.MEANINGS)
    assert text.rstrip().endswith(exit_codes.MEANINGS[-1][1])


def test_the_table_names_every_exit_code_once() -> None:
    constants = {
        value
        for name, value in vars(exit_codes).items()
        if name.startswith("EXIT_") and isinstance(value, int)
    }
    listed = [code for code, _ in exit_codes.MEANINGS]
    assert listed == sorted(set(listed))
    assert set(listed) == constants == {0, 1, 2, 3, 4, 5, 6, 7, 8, 130}


def test_status_help_and_refusal_list_the_allowed_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    values = [s.value for s in BatchStatus]
    listing = next(p for p in PARSERS if p.prog == "dairy-desktop batches list")
    assert ", ".join(values) in " ".join(listing.format_help().split())
    code = main(["batches", "list", "--status", "mouldy"])
    err = capsys.readouterr().err
    assert code == exit_codes.EXIT_INVALID
    assert err == f"dairy-desktop: unknown status 'mouldy'; choose one of {', '.join(values)}\n"


def test_a_program_option_after_the_command_says_where_it_goes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["batches", "list", "--operator=ann"])
    assert code == exit_codes.EXIT_INVALID
    assert capsys.readouterr().err == (
        "dairy-desktop: unrecognized arguments: --operator=ann; --operator goes before the "
        "command (see 'dairy-desktop --help')\n"
    )
    assert main(["batches", "list", "--colour"]) == exit_codes.EXIT_INVALID
    assert "before the command" not in capsys.readouterr().err


def test_the_hint_knows_every_program_option() -> None:
    top = build_parser()
    options = {o for a in top._actions for o in a.option_strings if o.startswith("--")}
    assert set(GLOBAL_OPTIONS) == options - {"--help"}


def test_help_runs_as_a_real_command_and_exits_0() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dairy_desktop", "audit", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: dairy-desktop audit")
    assert "--batch CODE" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
