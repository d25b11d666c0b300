"""How commands write: JSON for scripts, aligned tables for people, one-line errors."""

from __future__ import annotations

import json
import sys
from typing import Any

PROGRAM = "dairy-desktop"
# Every --json option says the same.
JSON_HELP = "print JSON (for scripts)"


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    """Columns padded to their widest cell, a dashed rule under the headers."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=False)]
    for line in [headers, [""] * len(headers), *rows]:
        if line and not any(line):
            print("  ".join("-" * w for w in widths))
            continue
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=False)).rstrip())


def print_error(message: str) -> None:
    """One line on stderr, named after the program so it stands out in a job's log."""
    print(f"{PROGRAM}: {message}", file=sys.stderr)
