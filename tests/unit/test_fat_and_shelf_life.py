import pytest

from dairy_desktop.domain.batch import validate_shelf_life_days
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.fat import from_centi, parse_fat_percent, to_centi


@pytest.mark.parametrize("days", [1, 30, "7"])
def test_shelf_life_within_range(days: int | str) -> None:
    assert 1 <= validate_shelf_life_days(days) <= 30


@pytest.mark.parametrize("days", [0, 31, -1, "x", "1.5"])
def test_shelf_life_out_of_range_is_refused(days: int | str) -> None:
    with pytest.raises(InvalidInput, match="Shelf life"):
        validate_shelf_life_days(days)


def test_fat_is_optional_and_exact() -> None:
    assert parse_fat_percent(None) is None
    assert parse_fat_percent("") is None
    fat = parse_fat_percent("3,5")
    assert str(fat) == "3.50"
    assert from_centi(to_centi(fat)) == fat


@pytest.mark.parametrize("fat", ["-0.1", "100.01", "3.555", "nan", "abc"])
def test_bad_fat_is_refused(fat: str) -> None:
    with pytest.raises(InvalidInput, match="Fat"):
        parse_fat_percent(fat)
