"""The plant setting the recall list names the milk with: product_description."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.settings import (
    MAX_PRODUCT_DESCRIPTION,
    PlantSettings,
    validate_product_description,
    validated_settings,
)
from dairy_desktop.services.plant_settings import settings_from


def test_the_product_is_raw_milk_unless_the_plant_says_otherwise() -> None:
    assert PlantSettings().product_description == "raw milk"
    assert settings_from({}).product_description == "raw milk"
    assert settings_from({"product_description": "raw goat milk"}).product_description == (
        "raw goat milk"
    )


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "Product description is missing"),
        ("   ", "Product description is missing"),
        ("x" * (MAX_PRODUCT_DESCRIPTION + 1), "too long"),
        ("raw\x00milk", "NUL character"),
    ],
)
def test_an_unusable_product_description_is_refused_with_its_field(typed: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why) as refused:
        validated_settings(replace(PlantSettings(), product_description=typed))
    assert refused.value.field == "product_description"


def test_a_product_description_is_kept_without_its_surrounding_blanks() -> None:
    assert validate_product_description("  raw milk, organic ") == "raw milk, organic"
    assert validate_product_description("x" * MAX_PRODUCT_DESCRIPTION) == "x" * 128
