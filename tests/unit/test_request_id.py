"""Request ids: what a script may send, and what the app makes itself."""

from __future__ import annotations

import pytest

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.request_id import new_request_id, validate_request_id


@pytest.mark.parametrize(
    "text", ["a", "nightly-2025-12-04.1", "job:42_retry", "A" * 64, "0.1:2_3-4"]
)
def test_ids_of_the_allowed_characters_are_kept_as_typed(text: str) -> None:
    assert validate_request_id(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A" * 65,
        "has space",
        "slash/",
        "ümlaut",
        "٣",
        "tab\t",
        "new\nline",
        "semi;colon",
        "\udcff",
    ],
)
def test_anything_else_is_refused_as_invalid_input(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_request_id(text)
    assert refused.value.field == "request_id"
    assert "A-Z a-z 0-9 . _ : -" in str(refused.value)


def test_a_long_id_is_not_echoed_in_full() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_request_id("x" * 10_000 + " ")
    assert len(str(refused.value)) < 200


def test_new_ids_are_valid_and_distinct() -> None:
    made = {new_request_id() for _ in range(1000)}
    assert len(made) == 1000
    assert all(validate_request_id(i) == i for i in made)
