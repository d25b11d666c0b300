from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.services.consume import consume
from dairy_desktop.services.plant_settings import get_plant_settings, update_plant_settings
from dairy_desktop.services.queries import change_token, list_batches, near_expiry
from tests.integration.helpers import ANN, register


@pytest.fixture
def now() -> datetime:
    """The last 09:00 UTC before the test runs. A real time, not a fixed date: on PostgreSQL
    the server's clock decides whether the consume in _stock() may happen, so the stock must
    be live by the server's clock too; and 09:00 keeps the bands below where their names say
    (Berlin's day still has 14 h left at that hour)."""
    current = datetime.now(UTC)
    nine = current.replace(hour=9, minute=0, second=0, microsecond=0)
    return nine if nine <= current else nine - timedelta(days=1)


def _plant(database: Database, **changes: object) -> None:
    values: dict[str, object] = {
        "plant_name": "Riverside Dairy",
        "time_zone": "Europe/Berlin",
        "near_expiry_days": 3,
        # Stock here is usable as registered: no QA release gate (its own tests turn it on).
        "qa_release_required": False,
    }
    values.update(changes)
    update_plant_settings(database, PlantSettings(**values), ANN)  # type: ignore[arg-type]


def test_settings_are_shared_through_the_database(database: Database) -> None:
    _plant(database, code_pattern=r"^TANK\d+$", near_expiry_days=5)
    settings = get_plant_settings(database)
    assert (
        settings.plant_name,
        settings.code_pattern,
        settings.near_expiry_days,
        settings.time_zone,
    ) == ("Riverside Dairy", r"^TANK\d+$", 5, "Europe/Berlin")
    register(database, code="TANK7")


@pytest.mark.parametrize(
    "changes",
    [
        {"time_zone": "Mars/Olympus"},
        {"code_pattern": "(["},
        {"near_expiry_days": 99},
        {"plant_name": " "},
    ],
)
def test_bad_settings_are_refused_and_the_old_ones_kept(
    database: Database, changes: dict[str, object]
) -> None:
    _plant(database)
    with pytest.raises(InvalidInput):
        _plant(database, **changes)
    assert get_plant_settings(database).plant_name == "Riverside Dairy"


def _stock(database: Database, now: datetime) -> None:
    """One batch in each band, received so that expiry lands where the name says."""
    spans = {
        "SCH-20251204-0001": timedelta(hours=-2),
        "SCH-20251204-0002": timedelta(hours=5),
        "SCH-20251204-0003": timedelta(days=2),
        "SCH-20251204-0004": timedelta(days=9),
        "SCH-20251204-0005": timedelta(days=2, hours=1),
    }
    for code, until_expiry in spans.items():
        register(
            database,
            code=code,
            liters="10",
            days=10,
            received=now + until_expiry - timedelta(days=10),
        )
    consume(database, "SCH-20251204-0005", "10", actor=ANN, now=now)


def test_near_expiry_lists_usable_batches_first_expiring_first(
    database: Database, now: datetime
) -> None:
    _plant(database)
    _stock(database, now)
    listing = near_expiry(database, now=now)
    assert [b.code for b in listing.batches] == ["SCH-20251204-0002", "SCH-20251204-0003"]
    assert [b.code for b in near_expiry(database, days=0, now=now).batches] == ["SCH-20251204-0002"]
    with pytest.raises(InvalidInput):
        near_expiry(database, days=-1, now=now)


def test_list_filters_by_status(database: Database, now: datetime) -> None:
    _plant(database)
    _stock(database, now)
    listing = list_batches(database, now=now)
    statuses = {b.code: listing.status_of(b) for b in listing.batches}
    assert statuses == {
        "SCH-20251204-0001": BatchStatus.EXPIRED,
        "SCH-20251204-0002": BatchStatus.EXPIRES_TODAY,
        "SCH-20251204-0003": BatchStatus.NEAR_EXPIRY,
        "SCH-20251204-0004": BatchStatus.FRESH,
        "SCH-20251204-0005": BatchStatus.EMPTY,
    }
    expired = list_batches(database, status=BatchStatus.EXPIRED, now=now)
    assert [b.code for b in expired.batches] == ["SCH-20251204-0001"]


def test_the_change_token_moves_with_every_change(database: Database) -> None:
    first = change_token(database)
    register(database)
    second = change_token(database)
    _plant(database)
    third = change_token(database)
    assert first != second != third
    assert change_token(database) == third
