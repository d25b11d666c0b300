from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.domain.time_left import describe_time_left

NOW = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=2, hours=5), "2 d 5 h"),
        (timedelta(hours=5), "5 h"),
        (timedelta(hours=1, minutes=30), "1 h 30 min"),
        (timedelta(minutes=12), "12 min"),
        (timedelta(seconds=20), "1 min"),
        (-timedelta(hours=3), "expired 3 h ago"),
        (-timedelta(days=1, hours=2), "expired 1 d 2 h ago"),
        (timedelta(0), "expired 1 min ago"),
    ],
)
def test_time_left_reads_naturally(delta: timedelta, text: str) -> None:
    assert describe_time_left(NOW + delta, NOW) == text
