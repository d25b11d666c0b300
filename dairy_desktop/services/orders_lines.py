"""The batches an operator chose for an order (`--from CODE:L ...`, a window's edited
split), checked before anything is sent: each well formed, each batch once, adding up to
what the order asks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from dairy_desktop.domain.codes import validate_code_shape
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.liters import (
    format_liters,
    from_milliliters,
    parse_liters,
    to_milliliters,
)
from dairy_desktop.domain.text import quoted

# Each line's audit event carries the shared request id and ":N" (services/orders_request.py).
MAX_LINES = 999

# (code, litres) as typed, or (code, litres, version seen) from a proposal shown.
ChosenLine = tuple[str, str | Decimal] | tuple[str, str | Decimal, int | None]


@dataclass(frozen=True, slots=True)
class Take:
    """Take `ml` from batch `code`; `expected_version`: only if it is still as seen."""

    code: str
    ml: int
    expected_version: int | None = None

    @property
    def liters(self) -> Decimal:
        return from_milliliters(self.ml)


def parse_from_option(text: str) -> tuple[str, str]:
    """`CODE:L` as typed after --from: the code, and the litres after its last colon."""
    code, colon, liters = text.strip().rpartition(":")
    if not colon or not code.strip() or not liters.strip():
        raise InvalidInput(
            f"--from {quoted(text)} is not CODE:LITRES; write it like SCH-20251204-0001:120.5 "
            "(one --from per batch).",
            field="from",
        )
    return code.strip(), liters.strip()


def chosen_takes(lines: Sequence[ChosenLine], total_ml: int) -> list[Take]:
    """The chosen lines as Takes, or InvalidInput: a malformed code or amount, a batch named
    twice, more than MAX_LINES, or litres that do not add up to `total_ml`."""
    if not lines:
        raise InvalidInput("No batches were chosen: name at least one (--from CODE:L).")
    if len(lines) > MAX_LINES:
        raise InvalidInput(
            f"{len(lines)} batches were chosen; one change takes at most {MAX_LINES}.",
            field="from",
        )
    takes: list[Take] = []
    for line in lines:
        code = validate_code_shape(line[0])
        if any(take.code == code for take in takes):
            raise InvalidInput(
                f"Batch {code} is named twice; name each batch once, with all the litres to "
                "take from it.",
                field="from",
            )
        version = line[2] if len(line) == 3 else None
        takes.append(Take(code, to_milliliters(parse_liters(line[1])), version))
    chosen_ml = sum(take.ml for take in takes)
    if chosen_ml != total_ml:
        raise InvalidInput(
            f"The chosen batches add up to {format_liters(from_milliliters(chosen_ml))} L but "
            f"the order asks for {format_liters(from_milliliters(total_ml))} L; make the two "
            "equal.",
            field="from",
        )
    return takes
