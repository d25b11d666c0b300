import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dairy_desktop.domain.codes import (
    DEFAULT_CODE_PATTERN,
    validate_batch_code,
    validate_order_id,
)
from dairy_desktop.domain.errors import InvalidInput


def test_a_well_formed_code_is_kept_without_surrounding_blanks() -> None:
    assert validate_batch_code("  SCH-20251204-0001\n") == "SCH-20251204-0001"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "missing"),
        ("sch-20251204-0001", "upper case"),
        ("SCH-2025120-0001", "pattern"),
        ("X" * 65, "too long"),
        ("SCH-20251204-0001; DROP TABLE batches", "pattern"),
        ("SCH-20251204-0001\x1d", "pattern"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_batch_code(code)


def test_digits_of_other_scripts_are_not_label_digits() -> None:
    with pytest.raises(InvalidInput):
        validate_batch_code("SCH-\u0662\u0660\u0662\u0665\u0661\u0662\u0660\u0664-0001")
    with pytest.raises(InvalidInput):
        validate_order_id("ORDER-\u0662\u0660\u0662\u0665\u0661\u0662\u0660\u0664-1234")


def test_the_code_pattern_is_a_plant_setting() -> None:
    assert validate_batch_code("TANK7", r"^TANK\d+$") == "TANK7"
    with pytest.raises(InvalidInput):
        validate_batch_code("SCH-20251204-0001", r"^TANK\d+$")


def test_an_invalid_pattern_is_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match="not a valid regular expression"):
        validate_batch_code("A", "([")


@given(st.from_regex(re.compile(DEFAULT_CODE_PATTERN, re.ASCII), fullmatch=True))
def test_every_code_matching_the_pattern_is_accepted(code: str) -> None:
    assert validate_batch_code(code) == code


@given(st.text(max_size=80))
def test_any_text_is_accepted_only_if_it_matches(text: str) -> None:
    try:
        accepted = validate_batch_code(text)
    except InvalidInput:
        assert not re.fullmatch(DEFAULT_CODE_PATTERN, text.strip(" \t\r\n"), re.ASCII)
    else:
        assert re.fullmatch(DEFAULT_CODE_PATTERN, accepted, re.ASCII)


def test_order_ids_are_optional_and_checked() -> None:
    assert validate_order_id(None) is None
    assert validate_order_id("  ") is None
    assert validate_order_id("ORDER-20251204-1234") == "ORDER-20251204-1234"
    for bad in ["ORDER-20251204-1234'; --", "order-20251204-1234", "ORD-1"]:
        with pytest.raises(InvalidInput, match="Order id"):
            validate_order_id(bad)


def test_a_code_against_a_custom_pattern_is_refused_with_an_example_not_the_pattern() -> None:
    pattern = r"^TANK\d{3}$"
    with pytest.raises(InvalidInput) as refused:
        validate_batch_code("SCH-20251204-0001", pattern)
    message = str(refused.value)
    assert pattern not in message
    assert "\\d" not in message
    example = message.rsplit("codes look like ", 1)[1].rstrip(".")
    assert validate_batch_code(example, pattern) == example


def test_an_order_id_is_refused_with_an_example_not_the_pattern() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_order_id("ORD-1")
    assert "\\d" not in str(refused.value)
    assert "ORDER-20251204-1234" in str(refused.value)
