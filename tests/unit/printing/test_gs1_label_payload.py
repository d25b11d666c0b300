"""GS1 element strings for labels: (17) expiry date, (315n) litres, (10) batch code."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import biip
import pytest

from dairy_desktop.barcodes.gs1_encode import (
    GROUP_SEPARATOR,
    Gs1Element,
    element_string,
    gs1_label_choices,
    gs1_label_elements,
    gs1_label_payload,
    human_readable,
    lot_element,
    volume_element,
)
from dairy_desktop.domain.errors import InvalidInput

CODE = "SCH-20251204-0001"
EXPIRY = date(2025, 12, 7)


def test_payload_puts_the_variable_length_code_last_so_it_needs_no_separator() -> None:
    payload = gs1_label_payload(CODE, EXPIRY, Decimal("12500.000"))

    assert payload == "17251207" + "3150012500" + "10SCH-20251204-0001"
    assert GROUP_SEPARATOR not in payload


@pytest.mark.parametrize(
    ("liters", "ai", "digits"),
    [
        ("12500.000", "3150", "012500"),
        ("1234.5", "3151", "012345"),
        ("12.25", "3152", "001225"),
        ("0.125", "3153", "000125"),
        ("999.999", "3153", "999999"),
        ("999999", "3150", "999999"),
        ("1000.000", "3150", "001000"),
    ],
)
def test_volume_uses_the_fewest_decimals_that_are_exact(liters: str, ai: str, digits: str) -> None:
    assert volume_element(Decimal(liters)) == Gs1Element(ai, digits)


@pytest.mark.parametrize("liters", ["1000.001", "30000.125", "1000000"])
def test_volume_that_cannot_be_exact_in_six_digits_is_left_out(liters: str) -> None:
    assert volume_element(Decimal(liters)) is None
    elements = gs1_label_elements(CODE, EXPIRY, Decimal(liters))
    assert [element.ai for element in elements] == ["17", "10"]


def test_payload_parses_back_to_the_same_ais_with_biip() -> None:
    parsed = biip.parse(gs1_label_payload(CODE, EXPIRY, Decimal("1234.5"))).gs1_message

    assert parsed is not None
    values = {element.ai.ai: element for element in parsed.element_strings}
    assert values["10"].value == CODE
    assert values["17"].date == EXPIRY
    assert values["3151"].decimal == Decimal("1234.5")


def test_a_variable_length_element_before_another_gets_a_group_separator() -> None:
    elements = [Gs1Element("10", "LOT7", separator_required=True), Gs1Element("17", "251207")]

    text = element_string(elements)

    assert text == "10LOT7\x1d17251207"
    parsed = biip.parse(text).gs1_message
    assert parsed is not None
    assert [(e.ai.ai, e.value) for e in parsed.element_strings] == [
        ("10", "LOT7"),
        ("17", "251207"),
    ]


def test_human_readable_text_puts_ais_in_brackets() -> None:
    elements = gs1_label_elements(CODE, EXPIRY, Decimal("0.125"))

    assert human_readable(elements) == "(17)251207(3153)000125(10)SCH-20251204-0001"


@pytest.mark.parametrize(
    "code",
    ["A" * 21, "HAS SPACE", "KÄSE-1", "TAB\tCODE", ""],
)
def test_a_code_gs1_cannot_carry_is_refused_clearly(code: str) -> None:
    with pytest.raises(InvalidInput, match="GS1"):
        lot_element(code)


def test_a_twenty_character_code_fits() -> None:
    assert lot_element("A" * 20).value == "A" * 20


def test_an_expiry_with_a_time_adds_7003_to_the_minute_followed_by_a_separator() -> None:
    expires = datetime(2025, 12, 7, 6, 30, 59)

    payload = gs1_label_payload(CODE, expires, Decimal("12500"))

    assert payload == "17251207" + "70032512070630" + GROUP_SEPARATOR + "3150012500" + "10" + CODE
    parsed = biip.parse(payload).gs1_message
    assert parsed is not None
    values = {element.ai.ai: element for element in parsed.element_strings}
    assert values["7003"].datetime == datetime(2025, 12, 7, 6, 30)
    assert values["10"].value == CODE


def test_the_choices_give_way_litres_first_then_the_hour() -> None:
    choices = gs1_label_choices(CODE, datetime(2025, 12, 7, 6, 30), Decimal("1.5"))

    assert [[element.ai for element in choice] for choice in choices] == [
        ["17", "7003", "3151", "10"],
        ["17", "7003", "10"],
        ["17", "3151", "10"],
        ["17", "10"],
    ]


def test_without_a_time_or_an_exact_volume_there_is_one_choice() -> None:
    assert gs1_label_choices(CODE, EXPIRY, Decimal("1000.0001")) == (
        (
            Gs1Element("17", "251207"),
            lot_element(CODE),
        ),
    )
