"""The label's expiry against the plant's clock: (17) by the day, (7003) to the minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import GS1Scan, UnknownScan
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN

# Plant local time, as the scan router passes it.
NOW = datetime(2026, 12, 1, 9, 0)
CODE = "SCH-20261120-0002"


def gs1(raw: str, now: datetime = NOW) -> GS1Scan:
    result = parse_scan(raw, code_pattern=DEFAULT_CODE_PATTERN, now=now)
    assert isinstance(result, GS1Scan), result
    return result


def test_an_expiry_date_in_the_past_is_flagged_with_the_labels_date() -> None:
    result = gs1(f"(10){CODE}(17)261122")

    assert result.expiry_passed
    assert result.expiry_date == date(2026, 11, 22)
    assert "The label says this milk expired on 2026-11-22." in result.problems()
    assert "with warnings" in result.summary()


@pytest.mark.parametrize(
    ("yymmdd", "passed"), [("261130", True), ("261201", False), ("261202", False)]
)
def test_by_the_date_alone_milk_expires_after_its_day(yymmdd: str, passed: bool) -> None:
    result = gs1(f"(10){CODE}(17){yymmdd}")

    assert result.expiry_passed is passed
    assert any("expired" in problem for problem in result.problems()) is passed


def test_the_expiry_hour_is_read_from_ai_7003() -> None:
    result = gs1(f"]C11726120270032612020630\x1d10{CODE}")

    assert result.expiry_datetime == datetime(2026, 12, 2, 6, 30)
    assert result.expiry_date == date(2026, 12, 2)
    assert not result.expiry_passed
    assert result.problems() == ()
    assert "expiry 2026-12-02 at 06:30" in result.summary()


@pytest.mark.parametrize(("hhmm", "passed"), [("0859", True), ("0900", True), ("0901", False)])
def test_with_7003_milk_expires_at_its_minute_on_the_day_itself(hhmm: str, passed: bool) -> None:
    result = gs1(f"(10){CODE}(17)261201(7003)261201{hhmm}")

    assert result.expiry_passed is passed
    expected = f"The label says this milk expired on 2026-12-01 at {hhmm[:2]}:{hhmm[2:]}."
    assert (expected in result.problems()) is passed


def test_7003_alone_gives_the_expiry_date_too() -> None:
    result = gs1(f"(10){CODE}(7003)2611220630")

    assert result.expiry_date == date(2026, 11, 22)
    assert result.expiry_datetime == datetime(2026, 11, 22, 6, 30)
    assert result.expiry_passed
    assert "The label says this milk expired on 2026-11-22 at 06:30." in result.problems()


def test_17_and_7003_naming_different_days_is_a_problem_and_the_earlier_counts() -> None:
    result = gs1(f"(10){CODE}(17)261205(7003)2611220630")

    assert result.expiry_dates_disagree
    assert result.expiry_date == date(2026, 12, 5)  # (17) stays what (17) says
    assert result.expiry_passed  # by 7003, the earlier one
    problems = result.problems()
    assert "The label says this milk expired on 2026-11-22 at 06:30." in problems
    assert any("2026-12-05 (AI 17)" in p and "2026-11-22 at 06:30 (AI 7003)" in p for p in problems)


def test_17_and_7003_on_the_same_day_agree() -> None:
    result = gs1(f"(10){CODE}(17)261202(7003)2612022359")

    assert not result.expiry_dates_disagree
    assert result.problems() == ()


def test_the_zone_of_now_is_not_used_labels_are_in_plant_time() -> None:
    # 09:00 in a zone 5 h ahead of UTC: the label's 08:30 has passed on the plant's clock.
    plant_now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=5)))

    assert gs1(f"(10){CODE}(7003)2612010830", now=plant_now).expiry_passed
    assert not gs1(f"(10){CODE}(7003)2612010930", now=plant_now).expiry_passed
    assert not gs1(f"(10){CODE}(7003)2612010930", now=NOW.replace(tzinfo=UTC)).expiry_passed


@pytest.mark.parametrize("bad", ["2612012460", "2612010960", "2613010900", "2612019999"])
def test_a_7003_that_is_not_a_date_and_time_is_refused(bad: str) -> None:
    result = parse_scan(f"(10){CODE}(7003){bad}", code_pattern=DEFAULT_CODE_PATTERN, now=NOW)

    assert isinstance(result, UnknownScan)
    assert bad in result.reason
    assert result.reason.isprintable()
