"""The QA release gate: a batch's lab state, one lab result, and the plant's required tests.

A batch registered while the gate is on starts `pending`; a pass of every required test
releases it, and any failed test rejects it for good (rejected milk is only ever disposed).
With the gate off a new batch starts `released`, and lab results are still recorded: a
fail rejects a released batch too, because a positive screen is positive whatever the
setting says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.reasons import optional_note
from dairy_desktop.domain.text import quoted, require_storable_text

DEFAULT_REQUIRED_TESTS = "beta-lactam"
MAX_TEST_NAME = 64
MAX_QA_FIELD = 128
# Lower-case words joined by '-', '.' or '+', e.g. beta-lactam, aflatoxin-m1, scc.
_TEST_NAME = re.compile(r"[a-z0-9][a-z0-9.+-]*")


class QaState(StrEnum):
    PENDING = "pending"
    RELEASED = "released"
    REJECTED = "rejected"


class QaResult(StrEnum):
    PASS = "pass"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class QaRecord:
    """One lab result, validated: what the `qa` audit event stores."""

    test: str
    result: QaResult
    analyst: str
    kit: str | None = None
    sample_id: str | None = None
    note: str | None = None


def validate_test_name(text: str) -> str:
    """`Beta Lactam` and `beta-lactam` name one test: lower case, blanks become '-'."""
    name = "-".join(require_storable_text(text, field="test", label="test name").lower().split())
    if not name:
        raise InvalidInput("The test name is missing (e.g. beta-lactam).", field="test")
    if len(name) > MAX_TEST_NAME or not _TEST_NAME.fullmatch(name):
        raise InvalidInput(
            f"Test name {quoted(text)} is not usable: letters, digits and - . + only, "
            f"at most {MAX_TEST_NAME} characters (e.g. beta-lactam).",
            field="test",
        )
    return name


def parse_qa_result(text: str) -> QaResult:
    try:
        return QaResult(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"QA result {quoted(text)} is unknown: use pass or fail.", field="result"
        ) from None


def parse_required_tests(text: str) -> tuple[str, ...]:
    """The plant setting: test names separated by commas or new lines; at least one."""
    names = [validate_test_name(part) for part in re.split(r"[,\n]", text) if part.strip()]
    if not names:
        raise InvalidInput(
            "At least one required test must be named (e.g. beta-lactam).", field="required_tests"
        )
    return tuple(dict.fromkeys(names))


def _optional(text: str | None, *, field: str, label: str) -> str | None:
    if text is None:
        return None
    value = require_storable_text(text, field=field, label=label).strip()
    if len(value) > MAX_QA_FIELD:
        raise InvalidInput(
            f"The {label} is too long ({len(value)} characters; at most {MAX_QA_FIELD}).",
            field=field,
        )
    return value or None


def qa_record(
    *,
    test: str,
    result: str | QaResult,
    analyst: str,
    kit: str | None = None,
    sample_id: str | None = None,
    note: str | None = None,
) -> QaRecord:
    """Validate one lab result as typed; the note follows the reason rules (500 chars)."""
    who = _optional(analyst, field="analyst", label="analyst")
    if who is None:
        raise InvalidInput("The analyst is missing: who ran the test?", field="analyst")
    return QaRecord(
        test=validate_test_name(test),
        result=result if isinstance(result, QaResult) else parse_qa_result(result),
        analyst=who,
        kit=_optional(kit, field="kit", label="test kit"),
        sample_id=_optional(sample_id, field="sample_id", label="sample id"),
        note=optional_note(note),
    )
