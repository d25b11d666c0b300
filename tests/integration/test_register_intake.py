"""What the receiving bay records of a delivery is stored exactly on both databases, and a
load warmer than the plant's limit is flagged (never refused: QA decides)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.queries import get_batch, list_batches
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.serialize import batch_to_dict
from tests.integration.helpers import ANN
from tests.integration.lifecycle_stock import CODE, put_setting


def _register(database: Database, temperature: str | None, code: str = CODE) -> list[str]:
    return register_batch(
        database,
        code=code,
        liters="1000",
        shelf_life_days=5,
        supplier="  Hof   Meier ",
        tanker="TK-7",
        seal="S 0099",
        temperature=temperature,
        actor=ANN,
    ).warnings


def test_the_intake_is_stored_exactly_and_shown_in_the_json(database: Database) -> None:
    assert _register(database, "-0.5") == []
    batch = get_batch(database, CODE)
    assert (batch.supplier, batch.tanker, batch.seal) == ("Hof Meier", "TK-7", "S 0099")
    assert (batch.temperature_deci, batch.temperature_c) == (-5, Decimal("-0.5"))
    item = batch_to_dict(batch, BatchStatus.FRESH)
    assert (item["temperature_c"], item["temperature_over_limit"]) == ("-0.5", False)
    assert item["qa_state"] == "released"


def test_a_load_over_the_plants_limit_is_registered_with_a_warning(database: Database) -> None:
    put_setting(database, "temperature_limit_deci", "60")  # the EU's 6 °C
    [warning] = _register(database, "6.1")
    assert "6.1 °C, above the plant's limit of 6.0 °C" in warning
    assert _register(database, "6.0", code="SCH-20251204-0002") == []
    listing = list_batches(database)
    flags = {
        b.code: batch_to_dict(b, listing.status_of(b), listing.settings.temperature_limit_deci)[
            "temperature_over_limit"
        ]
        for b in listing.batches
    }
    assert flags == {CODE: True, "SCH-20251204-0002": False}


@pytest.mark.parametrize("typed", ["4,5", "4.55", "40.1", "-5.1", "1E1", "warm"])
def test_a_temperature_that_is_not_plain_degrees_in_range_registers_nothing(
    database: Database, typed: str
) -> None:
    with pytest.raises(InvalidInput, match="Temperature"):
        _register(database, typed)
    assert list_batches(database, include_deleted=True).batches == []
