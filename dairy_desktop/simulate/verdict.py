"""How a check reports: passed with a summary, or failed naming the first offenders."""

from __future__ import annotations

from dataclasses import dataclass

from dairy_desktop.domain.liters import format_liters, from_milliliters

MAX_SHOWN = 5  # offending batches or workstations named per failed check


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def verdict(name: str, problems: list[str], ok: str) -> Check:
    if not problems:
        return Check(name, True, ok)
    more = f" (and {len(problems) - MAX_SHOWN} more)" if len(problems) > MAX_SHOWN else ""
    return Check(name, False, "; ".join(problems[:MAX_SHOWN]) + more)


def liters_text(milliliters: int) -> str:
    sign = "-" if milliliters < 0 else ""
    return f"{sign}{format_liters(from_milliliters(abs(milliliters)))} L"
