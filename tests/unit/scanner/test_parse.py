"""Real-world scanner output, each with the documented outcome; nothing ever raises."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import (
    BatchScan,
    GS1Scan,
    OrderScan,
    ScanKind,
    ScanResult,
    UnknownScan,
)
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN

NOW = datetime(2025, 12, 4, 8, 30, tzinfo=UTC)
GS = "\x1d"
CODE = "SCH-20251204-0001"
GTIN = "09501101530003"  # valid check digit
BAD_GTIN = "09501101530004"


def scan(raw: str, *, gs_substitute: str | None = "#") -> ScanResult:
    return parse_scan(raw, code_pattern=DEFAULT_CODE_PATTERN, gs_substitute=gs_substitute, now=NOW)


def gs1(raw: str, **kwargs: str | None) -> GS1Scan:
    result = scan(raw, **kwargs)
    assert isinstance(result, GS1Scan), result
    return result


def unknown(raw: str, **kwargs: str | None) -> UnknownScan:
    result = scan(raw, **kwargs)
    assert isinstance(result, UnknownScan), result
    return result


# --- plain codes and orders --------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [CODE, f"{CODE}\r", f"{CODE}\r\n", f"{CODE}\n", f"\t{CODE}\t", f"]C0{CODE}", f"]Q1{CODE}"],
)
def test_a_plain_batch_code_is_a_batch_whatever_surrounds_it(raw: str) -> None:
    assert scan(raw) == BatchScan(raw, CODE)


def test_a_lower_case_code_from_a_scanner_with_caps_lock_on_is_the_same_batch() -> None:
    result = scan("sch-20251204-0001")

    assert result == BatchScan("sch-20251204-0001", CODE, case_corrected=True)
    assert "case corrected" in result.summary()


@pytest.mark.parametrize(
    ("raw", "order_id", "corrected"),
    [
        ("ORDER-20251204-1234", "ORDER-20251204-1234", False),
        ("ORDER-20251204-1234\r\n", "ORDER-20251204-1234", False),
        ("order-20251204-1234", "ORDER-20251204-1234", True),
    ],
)
def test_an_order_id_is_an_order(raw: str, order_id: str, corrected: bool) -> None:
    assert scan(raw) == OrderScan(raw, order_id, case_corrected=corrected)


def test_the_plant_pattern_is_a_setting() -> None:
    result = parse_scan("MILK42", code_pattern=r"^MILK\d+$", now=NOW)

    assert result == BatchScan("MILK42", "MILK42")


# --- GS1 -----------------------------------------------------------------------------------


FULL = f"01{GTIN}10{CODE}{GS}11251201{GS}17251211{GS}3153012345"


@pytest.mark.parametrize(
    "raw",
    [
        f"]C1{FULL}",  # GS1-128
        f"]d2{FULL}",  # GS1 DataMatrix
        f"]Q3{FULL}",  # GS1 QR
        FULL,  # no symbology identifier
        f"]C1{FULL}\r\n",
        FULL.replace(GS, "#"),  # a scanner that cannot type GS
        f"]C1#{FULL.replace(GS, '#')}",  # FNC1 in first position transmitted as well
        f"{GS}{FULL}",
        f"(01){GTIN}(10){CODE}(11)251201(17)251211(3153)012345",  # printed bracket form
        f"(01) {GTIN} (10) {CODE} (11) 251201 (17) 251211 (3153) 012345",
        f"https://id.gs1.org/01/{GTIN}/10/{CODE}?11=251201&17=251211&3153=012345",
    ],
)
def test_gs1_data_carries_the_batch_dates_volume_and_gtin(raw: str) -> None:
    result = gs1(raw)

    assert result.batch_code == CODE
    assert result.code_matches_pattern
    assert result.production_date == date(2025, 12, 1)
    assert result.expiry_date == date(2025, 12, 11)
    assert result.net_volume_liters == Decimal("12.345")
    assert result.gtin == GTIN
    assert result.problems() == ()
    assert result.raw == raw


def test_the_symbology_identifier_is_kept_for_the_record() -> None:
    assert gs1(f"]d2{FULL}").symbology == "]d2"
    assert gs1(FULL).symbology is None


def test_only_the_batch_is_required() -> None:
    result = gs1(f"(10){CODE}(17)251211")

    assert (result.batch_code, result.expiry_date) == (CODE, date(2025, 12, 11))
    assert (result.production_date, result.net_volume_liters, result.gtin) == (None, None, None)


@pytest.mark.parametrize(
    ("ai", "digits", "litres", "exponent"),
    [
        ("3150", "001000", "1000", 0),
        ("3151", "010005", "1000.5", -1),
        ("3152", "012345", "123.45", -2),
        ("3153", "012345", "12.345", -3),
        ("3153", "000001", "0.001", -3),
    ],
)
def test_net_volume_has_exactly_the_decimals_the_ai_says(
    ai: str, digits: str, litres: str, exponent: int
) -> None:
    volume = gs1(f"10{CODE}{GS}{ai}{digits}").net_volume_liters

    assert volume == Decimal(litres)
    assert volume is not None
    assert volume.as_tuple().exponent == exponent


def test_a_volume_finer_than_a_millilitre_is_refused() -> None:
    reason = unknown(f"10{CODE}{GS}3154012345").reason

    assert "1.2345" in reason
    assert "millilitre" in reason


def test_a_four_decimal_volume_that_is_whole_millilitres_is_kept_to_three_places() -> None:
    volume = gs1(f"10{CODE}{GS}3154012340").net_volume_liters

    assert volume == Decimal("1.234")
    assert volume is not None
    assert volume.as_tuple().exponent == -3


@pytest.mark.parametrize(
    ("yymmdd", "expiry"),
    [
        ("250200", date(2025, 2, 28)),
        ("240200", date(2024, 2, 29)),  # leap year
        ("251200", date(2025, 12, 31)),
        ("250400", date(2025, 4, 30)),
    ],
)
def test_day_00_expiry_means_the_last_day_of_the_month(yymmdd: str, expiry: date) -> None:
    assert gs1(f"10{CODE}{GS}17{yymmdd}").expiry_date == expiry


def test_a_production_date_after_today_is_flagged() -> None:
    today = gs1(f"10{CODE}{GS}11251204")
    tomorrow = gs1(f"10{CODE}{GS}11251205")

    assert not today.production_date_in_future
    assert tomorrow.production_date_in_future
    assert any("future" in problem for problem in tomorrow.problems())


def test_an_expiry_before_production_is_flagged() -> None:
    result = gs1(f"10{CODE}{GS}11251204{GS}17251201")

    assert result.expiry_before_production
    assert any("before the production date" in problem for problem in result.problems())


def test_a_lot_that_does_not_match_the_plant_pattern_is_still_gs1_but_flagged() -> None:
    result = gs1(f"]C101{GTIN}10LOT42{GS}17251211")

    assert result.batch_code == "LOT42"
    assert not result.code_matches_pattern
    assert any("LOT42" in problem and "pattern" in problem for problem in result.problems())
    assert "with warnings" in result.summary()


def test_without_a_substitute_configured_a_hash_is_not_a_separator() -> None:
    raw = f"10{CODE}#17251211"

    assert gs1(raw).expiry_date == date(2025, 12, 11)
    assert isinstance(scan(raw, gs_substitute=None), UnknownScan)


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (f"]C101{BAD_GTIN}10{CODE}", ["GTIN", BAD_GTIN, "check digit"]),
        (f"(01){BAD_GTIN}(10){CODE}", ["GTIN", "check digit"]),
        (f"01{GTIN}17251211", ["no batch/lot number (AI 10)", "(01)09501101530003"]),
        ("]C1010950110153", ["could not be read"]),  # GTIN cut short
        (f"10{CODE}{GS}1725", ["could not be read"]),  # date cut short
        ("(17)2512", ["could not be read"]),
        (f"10{CODE}{GS}17250231", ["could not be read", "250231"]),  # 31 February
        (f"10{CODE}{GS}10OTHER-LOT", ["more than once"]),
        ("SCH-2025120", ["'SCH-2025120'", "not a batch code", "order id"]),
        ("]C1", ["no data"]),
        ("]E05901234123457", ["product barcode", "5901234123457"]),
        ("5901234123457", ["product barcode", "5901234123457"]),
        ("5901234123458", ["product barcode", "not valid"]),
        ("\x07\x1bHELLO\x1d", ["'\\x07<ESC>HELLO<GS>'", "not a batch code"]),
        ("]A\x1f", ["']A\\x1f'", "not a batch code"]),  # not a symbology identifier
        ("http:///\x1f", ["could not be read", "/\\x1f"]),  # biip quotes the raw text
    ],
)
def test_what_cannot_be_used_is_unknown_with_a_reason_naming_it(raw: str, words: list[str]) -> None:
    reason = unknown(raw).reason

    for word in words:
        assert word in reason
    assert reason.isprintable()


@pytest.mark.parametrize(("raw", "shown"), [("", "no characters"), ("\r\n", "<CR><LF>")])
def test_an_empty_scan_is_unknown(raw: str, shown: str) -> None:
    reason = unknown(raw).reason

    assert reason.startswith("Empty scan")
    assert shown in reason


def test_a_long_scan_is_shortened_in_the_reason() -> None:
    reason = unknown("X" * 500).reason

    assert "X" * 60 + "…" in reason
    assert "500 characters" in reason


@pytest.mark.parametrize("substitute", ["", "##", "A", "-", "1"])
def test_a_substitute_that_could_be_gs1_data_is_a_setting_error(substitute: str) -> None:
    with pytest.raises(ValueError, match="GS substitute"):
        scan(CODE, gs_substitute=substitute)


def test_every_result_names_its_kind() -> None:
    kinds = [
        scan(CODE).kind,
        scan(f"10{CODE}").kind,
        scan("ORDER-20251204-1234").kind,
        scan("?").kind,
    ]

    assert kinds == [ScanKind.BATCH, ScanKind.GS1, ScanKind.ORDER, ScanKind.UNKNOWN]


# --- properties ----------------------------------------------------------------------------

RESULT_TYPES = (BatchScan, GS1Scan, OrderScan, UnknownScan)


def assert_sound(raw: str) -> None:
    result = scan(raw)
    assert isinstance(result, RESULT_TYPES)
    assert result.raw == raw
    if isinstance(result, UnknownScan):
        assert result.reason
        assert result.reason.isprintable()  # control characters never reach the status bar


@given(st.binary(max_size=80).map(lambda data: data.decode("latin-1")))
def test_random_bytes_never_raise(raw: str) -> None:
    assert_sound(raw)


@given(st.text(max_size=80))
def test_random_text_never_raises(raw: str) -> None:
    assert_sound(raw)


@settings(max_examples=300)
@given(
    st.from_regex(
        r"\A(\][CdQEe][0-9])?[\x1d#]?(01[0-9]{14}|10[A-Z0-9-]{0,22}[\x1d#]?|1[17][0-9]{6}"
        r"|315[0-9][0-9]{0,6}|\([0-9]{2,4}\)[0-9]{0,8}){0,4}[\r\n\t]{0,2}\Z"
    )
)
def test_gs1_lookalikes_never_raise(raw: str) -> None:
    assert_sound(raw)


@given(
    code=st.from_regex(r"\A[A-Z]{3}-[0-9]{8}-[0-9]{4}\Z"),
    expiry=st.dates(min_value=date(2001, 1, 1), max_value=date(2049, 12, 31)),
    millilitres=st.integers(min_value=0, max_value=999_999),
    decimals=st.integers(min_value=0, max_value=3),
    form=st.sampled_from(["gs", "hash", "brackets"]),
    prefix=st.sampled_from(["", "]C1", "]d2", "]Q3"]),
)
def test_what_a_label_encodes_is_what_the_scan_gives_back(
    code: str, expiry: date, millilitres: int, decimals: int, form: str, prefix: str
) -> None:
    volume_digits = f"{millilitres:06d}"
    litres = Decimal(volume_digits).scaleb(-decimals)
    yymmdd = expiry.strftime("%y%m%d")
    if form == "brackets":
        raw = f"(01){GTIN}(10){code}(17){yymmdd}(315{decimals}){volume_digits}"
    else:
        separator = GS if form == "gs" else "#"
        raw = f"{prefix}01{GTIN}10{code}{separator}17{yymmdd}315{decimals}{volume_digits}\r\n"

    result = gs1(raw)

    assert (result.batch_code, result.expiry_date, result.gtin) == (code, expiry, GTIN)
    assert result.net_volume_liters == litres
    assert result.code_matches_pattern
