"""The hash chain's canonical form: unambiguous, stable, and sensitive to every field."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dairy_desktop.domain.audit_chain import (
    FIELDS,
    GENESIS,
    ChainedContent,
    canonical,
    event_hash,
)

AT = datetime(2025, 12, 4, 7, 30, 0, 120, tzinfo=UTC)
CONTENT = ChainedContent(
    batch_code="SCH-20251204-0001",
    action="consume",
    at=AT,
    liters_ml=1500,
    remaining_after_ml=8500,
    version_after=2,
    order_id="ORDER-1",
    operator="maria",
    workstation="OFFICE-PC-1",
    reason=None,
    request_id="req-1",
    db_user="dairy_app",
    prev_hash=GENESIS,
)


def test_the_canonical_form_is_length_prefixed_with_a_mark_for_null() -> None:
    assert canonical(CONTENT) == (
        "17:SCH-20251204-00017:consume27:2025-12-04T07:30:00.000120Z4:15004:85001:2"
        "7:ORDER-15:maria11:OFFICE-PC-1~5:req-19:dairy_app64:" + GENESIS
    )


def test_the_hash_is_pinned() -> None:
    # Pinned: a change to the format would silently break every stored chain.
    assert event_hash(CONTENT) == "9354b4542f7f00b5aa8962c31d8bdfe75a4210f276afcf1bab212af1e78f6d5f"


def test_the_same_instant_in_another_zone_hashes_the_same() -> None:
    berlin = AT.astimezone(timezone(timedelta(hours=1)))
    assert event_hash(dataclasses.replace(CONTENT, at=berlin)) == event_hash(CONTENT)


@pytest.mark.parametrize("name", [f for f in FIELDS if f != "at"])
def test_changing_any_field_changes_the_hash(name: str) -> None:
    value = getattr(CONTENT, name)
    other = (value + 1) if isinstance(value, int) else ("x" if value is None else value + "x")
    assert event_hash(dataclasses.replace(CONTENT, **{name: other})) != event_hash(CONTENT)


def test_moving_text_between_fields_changes_the_hash() -> None:
    moved = dataclasses.replace(CONTENT, operator="mari", workstation="aOFFICE-PC-1")
    assert event_hash(moved) != event_hash(CONTENT)


def test_a_null_differs_from_an_empty_text() -> None:
    assert event_hash(dataclasses.replace(CONTENT, reason="")) != event_hash(CONTENT)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        canonical(dataclasses.replace(CONTENT, at=AT.replace(tzinfo=None)))
