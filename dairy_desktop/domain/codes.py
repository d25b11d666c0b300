"""Batch codes and production order ids."""

from __future__ import annotations

import re

from dairy_desktop.domain.code_example import example_code
from dairy_desktop.domain.code_patterns import DEFAULT_CODE_PATTERN as DEFAULT_CODE_PATTERN
from dairy_desktop.domain.code_patterns import ORDER_ID_PATTERN as ORDER_ID_PATTERN
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.text import quoted, require_storable_text

MAX_CODE_LENGTH = 64


def compile_code_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a plant's code pattern, refusing one that cannot be a regular expression."""
    try:
        # ASCII: a plant's \d means 0-9 on the label, not any script's digits.
        return re.compile(pattern, re.ASCII)
    except re.error as exc:
        raise InvalidInput(
            f"Code pattern {pattern!r} is not a valid regular expression: {exc}.", field="pattern"
        ) from None


def _present_and_short(code: str) -> str:
    """The refusals every code shares, whatever else a caller checks: empty, too long."""
    if not code:
        raise InvalidInput("Batch code is missing.", field="code")
    if len(code) > MAX_CODE_LENGTH:
        raise InvalidInput(
            f"Batch code {quoted(code)} is too long ({len(code)} characters; at most "
            f"{MAX_CODE_LENGTH}).",
            field="code",
        )
    return code


def validate_batch_code(code: str, pattern: str = DEFAULT_CODE_PATTERN) -> str:
    """Return the code as stored (surrounding blanks dropped) or raise InvalidInput."""
    # Only blanks and line ends: a control character such as GS inside a code is an error.
    code = _present_and_short(code.strip(" \t\r\n"))
    compiled = compile_code_pattern(pattern)
    if not compiled.fullmatch(code):
        hint = " (codes are upper case)" if compiled.fullmatch(code.upper()) else ""
        example = example_code(pattern)
        looks_like = f"; codes look like {example}" if example else ""
        raise InvalidInput(
            f"Batch code {quoted(code)} does not match the plant's code pattern{hint}{looks_like}.",
            field="code",
        )
    return code


def validate_code_shape(code: str) -> str:
    """The code as looked up (surrounding blanks dropped), refused before any look-up when
    no batch could have it: empty, too long, undecodable, or with control characters.

    The plant's pattern is not applied here: a batch registered before the pattern changed
    keeps its code and must still be found.
    """
    code = require_storable_text(code, field="code", label="batch code").strip(" \t\r\n")
    code = _present_and_short(code)
    if not code.isprintable():
        raise InvalidInput(
            f"Batch code {quoted(code)} contains a control character or tab; no batch code "
            "does. Check the scanner or retype it.",
            field="code",
        )
    return code


def validate_order_id(order_id: str | None) -> str | None:
    """Order ids are optional; an empty one means 'no order'."""
    if order_id is None or not order_id.strip():
        return None
    order_id = order_id.strip()
    if not re.fullmatch(ORDER_ID_PATTERN, order_id, re.ASCII):
        raise InvalidInput(
            f"Order id {quoted(order_id)} is not an order id: they look like ORDER-20251204-1234.",
            field="order",
        )
    return order_id
