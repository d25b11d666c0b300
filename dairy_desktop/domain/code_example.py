"""An example code for a plant's code pattern, so operators see a code, not a regex.

A message such as "does not match ^[A-Z]{3}-\\d{8}-\\d{4}$" means nothing on the floor;
"codes look like SCH-20251204-0001" does. The example is built from the pattern's own parse
tree (Python's regex parser, the one `re.compile` uses) and kept only if the pattern
really matches it, so a pattern this cannot follow gives no example rather than a wrong one.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from dairy_desktop.domain.code_patterns import DEFAULT_CODE_PATTERN, ORDER_ID_PATTERN

# The examples the rest of the app already shows for its own patterns.
_KNOWN = {DEFAULT_CODE_PATTERN: "SCH-20251204-0001", ORDER_ID_PATTERN: "ORDER-20251204-1234"}
# Characters tried in this order, so a digit run reads 1234… and a letter run ABC….
_PREFERRED = (
    "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_./"
    "!\"#$%&'()*+,:;<=>?@[\\]^`{|}~ "
)
_LONGEST_EXAMPLE = 64


class _CannotFollow(Exception):
    """A construct (look-around, back-reference...) not worth following."""


@lru_cache(maxsize=32)
def example_code(pattern: str) -> str | None:
    """A short code that ``pattern`` fully matches, or None when none can be made."""
    try:
        compiled = re.compile(pattern, re.ASCII)
    except re.error:
        return None
    known = _KNOWN.get(pattern)
    if known is not None:
        return known
    try:
        # The parser is private (re._parser, formerly sre_parse): any change in it simply
        # means no example, never an error in a scan message.
        parser: Any = importlib.import_module("re._parser")
        text = _text(list(parser.parse(pattern, re.ASCII).data), 0)
    except Exception:
        return None
    if not text or len(text) > _LONGEST_EXAMPLE or not text.isprintable():
        return None
    return text if compiled.fullmatch(text) else None


def _text(items: list[tuple[Any, Any]], index: int) -> str:
    return "".join(_item(str(op), value, index) for op, value in items)


def _item(op: str, value: Any, index: int) -> str:
    if op == "LITERAL":
        return chr(value)
    if op == "AT":
        return ""  # anchors take no characters
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        least, _most, inner = value
        return "".join(_text(list(inner), i) for i in range(least))
    if op in ("SUBPATTERN", "ATOMIC_GROUP"):
        return _text(list(value[-1]), index)
    if op == "BRANCH":
        return _text(list(value[1][0]), index)
    if op in ("IN", "ANY", "NOT_LITERAL"):
        choices = [ch for ch in _PREFERRED if _allows(op, value, ch)]
        if not choices:
            raise _CannotFollow(op)
        return choices[index % len(choices)]
    raise _CannotFollow(op)


def _allows(op: str, value: Any, ch: str) -> bool:
    if op == "ANY":
        return True
    if op == "NOT_LITERAL":
        return bool(ord(ch) != value)
    members = list(value)
    if members and str(members[0][0]) == "NEGATE":
        return not any(_in_set(str(kind), member, ch) for kind, member in members[1:])
    return any(_in_set(str(kind), member, ch) for kind, member in members)


def _in_set(kind: str, member: Any, ch: str) -> bool:
    if kind == "LITERAL":
        return bool(ord(ch) == member)
    if kind == "RANGE":
        low, high = member
        return bool(low <= ord(ch) <= high)
    if kind == "CATEGORY":
        test = _CATEGORIES.get(str(member))
        return test is not None and test(ch)
    raise _CannotFollow(kind)


_CATEGORIES: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
    "CATEGORY_SPACE": lambda ch: ch == " ",
}
