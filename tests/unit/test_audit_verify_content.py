"""verify builds an event's hashed content by position: the stored row and the chain's
fields must line up name for name."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime

from dairy_desktop.db.audit_chain_queries import StoredEvent
from dairy_desktop.domain.audit_chain import ChainedContent
from dairy_desktop.services.audit_verify import _content


def test_the_stored_row_lines_up_with_the_chained_content() -> None:
    event = StoredEvent(
        7, 3, "SCH-1", "consume", datetime(2025, 12, 4, tzinfo=UTC), 1000, 9000, 2,
        "ORD-1", "ann", "PC-1", "why", "req-1", "dairy_app", "a" * 64, "b" * 64,
        "spillage", 5, "beta-lactam", "pass", "lab", "kit-1", "S-1", "released",
        date(2025, 12, 6), 3, "consume", 1000,
    )  # fmt: skip

    content = _content(event, "c" * 64)

    for spec in fields(ChainedContent):
        expected = "c" * 64 if spec.name == "prev_hash" else getattr(event, spec.name)
        assert getattr(content, spec.name) == expected, spec.name
