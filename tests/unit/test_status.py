from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dairy_desktop.domain.batch import compute_expiry
from dairy_desktop.domain.status import BatchStatus, batch_status

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def status(
    expires_at: datetime,
    *,
    remaining: int = 1000,
    deleted: bool = False,
    days: int = 3,
    now: datetime = NOW,
) -> BatchStatus:
    return batch_status(
        expires_at=expires_at,
        remaining_ml=remaining,
        deleted=deleted,
        now=now,
        zone=BERLIN,
        near_expiry_days=days,
    )


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        (NOW - timedelta(seconds=1), BatchStatus.EXPIRED),
        (NOW, BatchStatus.EXPIRED),  # expiring at this very instant is expired
        (NOW + timedelta(seconds=1), BatchStatus.EXPIRES_TODAY),
        (berlin(2025, 12, 4, 23, 59, 59), BatchStatus.EXPIRES_TODAY),
        (berlin(2025, 12, 5, 0, 0), BatchStatus.NEAR_EXPIRY),  # local midnight starts tomorrow
        (berlin(2025, 12, 7, 23, 59, 59), BatchStatus.NEAR_EXPIRY),  # end of the 3rd day
        (berlin(2025, 12, 8, 0, 0), BatchStatus.FRESH),
    ],
)
def test_expiry_bands_follow_the_plant_calendar(expires: datetime, expected: BatchStatus) -> None:
    assert status(expires) == expected


def test_near_expiry_horizon_is_a_setting() -> None:
    assert status(berlin(2025, 12, 6, 12, 0), days=1) == BatchStatus.FRESH
    assert status(berlin(2025, 12, 6, 12, 0), days=2) == BatchStatus.NEAR_EXPIRY
    assert status(berlin(2025, 12, 5, 12, 0), days=0) == BatchStatus.FRESH


def test_deleted_wins_over_everything_then_empty() -> None:
    expired = NOW - timedelta(days=1)
    assert status(expired, deleted=True, remaining=0) == BatchStatus.DELETED
    assert status(expired, remaining=0) == BatchStatus.EMPTY
    assert status(NOW + timedelta(days=10), remaining=0) == BatchStatus.EMPTY


def test_the_day_is_the_plant_day_not_the_utc_day() -> None:
    # 23:30 UTC on Dec 4 is already Dec 5 in Berlin: "today" ends at Berlin midnight.
    late = datetime(2025, 12, 4, 23, 30, tzinfo=UTC)
    assert status(berlin(2025, 12, 5, 20, 0), now=late) == BatchStatus.EXPIRES_TODAY


def test_expiry_is_shelf_life_in_whole_utc_days_across_a_dst_change() -> None:
    received = berlin(2025, 10, 24, 8, 0)  # CEST, UTC+2
    expires = compute_expiry(received, 3)
    assert expires - received == timedelta(days=3)
    # Clocks went back on Oct 26, so the local clock time is an hour earlier.
    assert expires.astimezone(BERLIN).hour == 7
    assert expires.astimezone(BERLIN).date().isoformat() == "2025-10-27"


def test_today_is_23_hours_long_on_the_spring_dst_day() -> None:
    now = berlin(2025, 3, 30, 1, 0)
    assert status(berlin(2025, 3, 30, 23, 59), now=now) == BatchStatus.EXPIRES_TODAY
    assert status(berlin(2025, 3, 31, 0, 0), now=now) == BatchStatus.NEAR_EXPIRY


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        status(datetime(2025, 12, 5))
