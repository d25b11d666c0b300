"""The scan log keeps the most recent scans, shown safely, oldest dropped first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dairy_desktop.ui.scanner.scan_log import ScanLog, ScanLogEntry

T0 = datetime(2025, 12, 4, 6, 0, tzinfo=UTC)


def test_an_entry_keeps_the_time_the_visible_text_and_the_outcome() -> None:
    log = ScanLog()

    entry = log.add("10ABC\x1d17251211\r", "GS1 batch ABC", at=T0)

    assert entry == ScanLogEntry(T0, "10ABC<GS>17251211<CR>", "GS1 batch ABC")
    assert log.entries() == (entry,)


def test_when_full_the_oldest_entry_makes_room() -> None:
    log = ScanLog(capacity=3)

    for n in range(5):
        log.add(f"scan {n}", "ok", at=T0 + timedelta(seconds=n))

    assert [entry.raw_visible for entry in log] == ["scan 2", "scan 3", "scan 4"]
    assert len(log) == 3
    assert log.is_full()
    assert log[0].at == T0 + timedelta(seconds=2)


def test_the_default_capacity_is_five_hundred() -> None:
    log = ScanLog()

    for n in range(501):
        log.add(str(n), "ok", at=T0)

    assert (log.capacity, len(log), log[0].raw_visible) == (500, 500, "1")


def test_drop_oldest_and_clear() -> None:
    log = ScanLog()
    log.add("a", "ok", at=T0)
    log.add("b", "ok", at=T0)

    assert log.drop_oldest() == ScanLogEntry(T0, "a", "ok")
    log.clear()
    assert (len(log), log.drop_oldest()) == (0, None)


def test_a_log_holds_at_least_one_entry() -> None:
    with pytest.raises(ValueError, match="capacity"):
        ScanLog(capacity=0)
