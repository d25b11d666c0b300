"""What every `--help` ends with: the exit codes, rendered from exit_codes.MEANINGS."""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Iterator

from dairy_desktop.cli.exit_codes import MEANINGS

# "  4    not found": a wrapped line continues under the meaning, not under the number.
_HANGING = re.compile(r"^(\s*\d+\s+)")


def exit_codes_epilog() -> str:
    width = max(len(str(code)) for code, _ in MEANINGS)
    lines = [f"  {code:<{width}}  {meaning}" for code, meaning in MEANINGS]
    return "exit codes:\n" + "\n".join(lines)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, but a text's own line breaks are kept: each line is wrapped by itself,
    so the exit-code table stays a table while a long description still wraps."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        filled = []
        for line in text.splitlines():
            hanging = _HANGING.match(line)
            filled.append(
                textwrap.fill(
                    line,
                    width,
                    initial_indent=indent,
                    subsequent_indent=indent + " " * (len(hanging.group(1)) if hanging else 0),
                )
            )
        return "\n".join(filled)


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every sub-command's parser under it, depth first."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                yield from all_parsers(child)


def finish_help(parser: argparse.ArgumentParser) -> None:
    """Every `--help` under `parser` says what its command does (the one line its parent
    lists, unless it has a description of its own) and ends with the exit codes."""
    epilog = exit_codes_epilog()
    for each in all_parsers(parser):
        each.epilog = f"{each.epilog}\n\n{epilog}" if each.epilog else epilog
        each.formatter_class = HelpFormatter
        for action in each._actions:
            if isinstance(action, argparse._SubParsersAction):
                for listed in action._choices_actions:
                    child = action.choices[listed.dest]
                    if child.description is None and listed.help:
                        child.description = listed.help[0].upper() + listed.help[1:] + "."
