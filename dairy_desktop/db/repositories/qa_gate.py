"""The two plant settings a change reads in its own transaction: whether a new batch waits
for QA, and which tests release it. Read as PostgreSQL's dairy_register / dairy_change read
them (migration 0005), so both databases decide alike whatever is stored."""

from __future__ import annotations

import re

from sqlalchemy import Connection, select

from dairy_desktop.db.models import PlantSettingRow
from dairy_desktop.domain.qa import DEFAULT_REQUIRED_TESTS

QA_RELEASE_REQUIRED = "qa_release_required"
QA_REQUIRED_TESTS = "qa_required_tests"


def _setting(connection: Connection, key: str) -> str | None:
    return connection.execute(
        select(PlantSettingRow.value).where(PlantSettingRow.key == key)
    ).scalar()


def qa_release_required(connection: Connection) -> bool:
    """On unless stored as something other than 'true' (a missing row is on)."""
    value = _setting(connection, QA_RELEASE_REQUIRED)
    return value is None or value.strip().lower() == "true"


def required_tests(connection: Connection) -> frozenset[str]:
    """The tests a pending batch needs a pass of; none named (or no row): beta-lactam."""
    return parse_stored_tests(_setting(connection, QA_REQUIRED_TESTS))


def parse_stored_tests(value: str | None) -> frozenset[str]:
    """Comma or line separated, each as domain.qa.validate_test_name spells it (lower
    case, blanks as '-'); lenient, since the setting was validated when it was saved."""
    names = {"-".join(part.lower().split()) for part in re.split(r"[,\n]", value or "")}
    names.discard("")
    return frozenset(names or {DEFAULT_REQUIRED_TESTS})
