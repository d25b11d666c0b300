"""The daily sheet rendered to PDF and read back: text by pypdf, barcodes by zxing-cpp."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtGui import QPageSize

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState
from dairy_desktop.printing.sheet.data import DailySheet, build_daily_sheet
from dairy_desktop.printing.sheet.render import page_count, render_sheet_pdf

BERLIN = ZoneInfo("Europe/Berlin")
DST_DAY = date(2025, 10, 26)  # clocks go back: 02:00-03:00 happens twice
# 00:00 CEST, as the DST day begins: every "today" batch (02:30 twice, 04:00 …) is still
# to come. Later in the morning the first ones would be listed as expired.
GENERATED_AT = datetime(2025, 10, 25, 22, 0, tzinfo=UTC)
TITLES = {
    "expired": "Expired — remove",
    "today": "Expires today — use first",
    "plan": "Expires within 3 days — plan",
}
MakeBatch = Callable[..., Batch]
PageTexts = Callable[[Path], list[str]]
DecodePdf = Callable[[Path, int], list[list[zxingcpp.Barcode]]]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def known_batches(make_batch: MakeBatch) -> dict[str, list[Batch]]:
    """Every status, enough rows for several pages, the DST day's repeated hour."""
    expired = [make_batch("EXP-20251022-0000", utc(2025, 10, 25, 22, 0), remaining_ml=500)]
    expired += [
        make_batch(
            f"EXP-20251020-{i:04d}",
            utc(2025, 10, 23, 6) + timedelta(hours=4 * i),
            remaining_ml=1_000_000 + 125 * i,
        )
        for i in range(1, 12)
    ]
    today = [
        make_batch("TOD-20251023-0001", utc(2025, 10, 26, 0, 30)),  # 02:30 CEST
        make_batch("TOD-20251023-0002", utc(2025, 10, 26, 1, 30)),  # 02:30 CET
        make_batch("TOD-20251023-0003", utc(2025, 10, 26, 3, 0), fat_centi=None),
        make_batch("TOD-20251023-0004", utc(2025, 10, 26, 8, 0)),
        make_batch("TOD-20251023-0005", utc(2025, 10, 26, 15, 0)),
        make_batch("TOD-20251023-0006", utc(2025, 10, 26, 22, 30)),  # 23:30 CET, hour 25
    ]
    plan = [
        make_batch(
            f"PLN-20251024-{i:04d}",
            utc(2025, 10, 26, 23) + timedelta(hours=3 * i),
            remaining_ml=2_000_001 + i,
        )
        for i in range(24)
    ]
    left_out = [
        make_batch("FRE-20251027-0001", utc(2025, 10, 29, 23, 0)),
        make_batch("EMP-20251023-0001", utc(2025, 10, 26, 9, 0), remaining_ml=0),
        make_batch("EMP-20251020-0001", utc(2025, 10, 24, 9, 0), remaining_ml=0),
        make_batch("DEL-20251023-0001", utc(2025, 10, 26, 10, 0), deleted_at=utc(2025, 10, 25)),
    ]
    return {"expired": expired, "today": today, "plan": plan, "left_out": left_out}


def build(batches: list[Batch]) -> DailySheet:
    return build_daily_sheet(
        batches,
        sheet_date=DST_DAY,
        days=3,
        zone=BERLIN,
        generated_at=GENERATED_AT,
        generated_by="anna",
        workstation="OFFICE-PC-2",
        plant_name="Molkerei Test",
    )


@pytest.fixture
def known(make_batch: MakeBatch) -> dict[str, list[Batch]]:
    return known_batches(make_batch)


@pytest.fixture
def sheet_pdf(tmp_path: Path, known: dict[str, list[Batch]]) -> tuple[DailySheet, Path, int]:
    everything = [b for group in known.values() for b in reversed(group)]
    sheet = build(everything)
    path = tmp_path / "sheet.pdf"
    pages = render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))
    return sheet, path, pages


def section_of_each_code(text: str) -> dict[str, str]:
    """The section heading printed most recently before each batch code."""
    heading = re.compile("|".join(re.escape(title) for title in TITLES.values()))
    code = re.compile(r"\b[A-Z]{3}-\d{8}-\d{4}\b")
    events = sorted(
        [(m.start(), "heading", m.group()) for m in heading.finditer(text)]
        + [(m.start(), "code", m.group()) for m in code.finditer(text)]
    )
    current, found = "", {}
    for _, kind, value in events:
        if kind == "heading":
            current = next(key for key, title in TITLES.items() if title == value)
        else:
            found[value] = current
    return found


def litres(batches: list[Batch]) -> str:
    total = Decimal(sum(b.remaining_ml for b in batches)) / 1000
    return f"{total:,.3f} L"


def test_rows_are_in_their_sections_first_expiring_first(
    sheet_pdf: tuple[DailySheet, Path, int], known: dict[str, list[Batch]], page_texts: PageTexts
) -> None:
    _, path, _ = sheet_pdf
    text = " ".join(page_texts(path))

    sections = section_of_each_code(text)

    for key in ("expired", "today", "plan"):
        expected = [b.code for b in sorted(known[key], key=lambda b: b.expires_at)]
        assert [c for c, s in sections.items() if s == key] == expected, key
    for batch in known["left_out"]:
        assert batch.code not in text


def test_headings_carry_exact_totals(
    sheet_pdf: tuple[DailySheet, Path, int], known: dict[str, list[Batch]], page_texts: PageTexts
) -> None:
    _, path, _ = sheet_pdf
    text = " ".join(page_texts(path))

    assert f"Expired — remove 12 batches · {litres(known['expired'])}" in text
    assert litres(known["expired"]) == "11,008.750 L"  # 0.5 + 11 × 1,000 + 0.125 × 66
    assert f"Expires today — use first 6 batches · {litres(known['today'])}" in text
    assert f"Expires within 3 days — plan 24 batches · {litres(known['plan'])}" in text
    assert "Expires within 3 days — plan (continued)" in text


def test_every_page_says_page_x_of_y(
    sheet_pdf: tuple[DailySheet, Path, int], page_texts: PageTexts
) -> None:
    sheet, path, pages = sheet_pdf

    texts = page_texts(path)

    assert pages == len(texts) == page_count(sheet) >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text


def test_header_footer_and_sign_off(
    sheet_pdf: tuple[DailySheet, Path, int], page_texts: PageTexts
) -> None:
    _, path, _ = sheet_pdf
    texts = page_texts(path)

    first, last = texts[0], texts[-1]
    assert "Molkerei Test" in first
    assert "Daily expiry sheet · Sunday 2025-10-26" in first
    assert "Generated 2025-10-26 00:00 by anna on OFFICE-PC-2" in first
    assert "Remaining litres as of 2025-10-26 00:00" in first
    assert "Sections as of 2025-10-26 00:00" in first
    assert "Times are local (Europe/Berlin)" in first
    for label in ("Sign-off", "Checked by", "Signature", "Time", "Notes"):
        assert label in last
    assert "Sign-off" not in " ".join(texts[:-1])


def test_rows_show_local_times_across_the_dst_change(
    sheet_pdf: tuple[DailySheet, Path, int], page_texts: PageTexts
) -> None:
    _, path, _ = sheet_pdf
    text = " ".join(page_texts(path))

    assert "2025-10-26 02:30 CEST" in text
    assert "2025-10-26 02:30 CET" in text
    assert "2025-10-26 23:30" in text
    assert "expired 20 h ago" in text  # EXP-0011 expired at 04:00 the day before


def test_every_barcode_decodes_to_a_code_on_its_own_page(
    sheet_pdf: tuple[DailySheet, Path, int],
    known: dict[str, list[Batch]],
    page_texts: PageTexts,
    decode_pdf: DecodePdf,
) -> None:
    _, path, _ = sheet_pdf
    texts = page_texts(path)
    listed = {b.code for key in ("expired", "today", "plan") for b in known[key]}

    decoded_pages = decode_pdf(path, 200)

    assert len(decoded_pages) == len(texts)
    decoded_all: list[str] = []
    for text, barcodes in zip(texts, decoded_pages, strict=True):
        on_page = set(re.findall(r"\b[A-Z]{3}-\d{8}-\d{4}\b", text))
        decoded = [barcode.text for barcode in barcodes]
        assert sorted(decoded) == sorted(on_page)
        assert all(barcode.format == zxingcpp.BarcodeFormat.Code128 for barcode in barcodes)
        decoded_all += decoded
    assert sorted(decoded_all) == sorted(listed)


def test_empty_sections_say_none(
    tmp_path: Path, known: dict[str, list[Batch]], page_texts: PageTexts
) -> None:
    sheet = build(known["plan"][:2] + known["left_out"])
    path = tmp_path / "sparse.pdf"

    pages = render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))

    text = " ".join(page_texts(path))
    assert pages == 1
    assert "Expired — remove 0 batches · 0.000 L None" in text
    assert "Expires today — use first 0 batches · 0.000 L None" in text
    assert "Expires within 3 days — plan 2 batches" in text
    assert "On hold / rejected / recalled — do not use 0 batches · 0.000 L None" in text
    assert "Awaiting QA 0 batches · 0.000 L None" in text
    assert text.count("None") == 4


def test_letter_paper_is_letter_sized(tmp_path: Path, known: dict[str, list[Batch]]) -> None:
    sheet = build([b for group in known.values() for b in group])
    path = tmp_path / "letter.pdf"

    pages = render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.Letter))

    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert pages == len(reader.pages)


def test_a_code_too_long_for_a_readable_barcode_is_printed_as_text(
    tmp_path: Path, make_batch: MakeBatch, page_texts: PageTexts, decode_pdf: DecodePdf
) -> None:
    long_code = "PLANT-NORTH-TANK-07-" + "X" * 30  # 50 characters, allowed by a custom pattern
    noon = utc(2025, 10, 26, 11)
    sheet = build([make_batch(long_code, noon), make_batch("TOD-20251023-0009", noon)])
    path = tmp_path / "long.pdf"

    render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))

    text = " ".join(page_texts(path))
    assert "(no barcode: code too long or not printable)" in text
    assert long_code in text.replace(" ", "")  # wrapped over lines, but all of it
    ((only,),) = decode_pdf(path, 200)
    assert only.text == "TOD-20251023-0009"


# The lifecycle sections, read back from the PDF.
def lifecycle_batches(make_batch: MakeBatch) -> dict[str, Batch]:
    at = GENERATED_AT
    return {
        "held": replace(make_batch("HLD-20251024-0001", at + timedelta(hours=5)), held_at=at),
        "rejected": replace(
            make_batch("REJ-20251024-0001", at - timedelta(hours=2), remaining_ml=3_400_000),
            qa_state=QaState.REJECTED,
            temperature_deci=110,
        ),
        "recalled": replace(
            make_batch("RCL-20251020-0001", at + timedelta(days=9)), recalled_at=at
        ),
        "pending": replace(
            make_batch("PND-20251025-0001", at + timedelta(days=2), remaining_ml=2_500_000),
            qa_state=QaState.PENDING,
            temperature_deci=38,
        ),
        "usable": replace(
            make_batch("USE-20251023-0001", at + timedelta(hours=8), remaining_ml=1_250_000),
            temperature_deci=92,
        ),
    }


def test_do_not_use_and_awaiting_qa_print_after_expired_with_each_rows_status(
    tmp_path: Path, make_batch: MakeBatch, page_texts: PageTexts
) -> None:
    batches = lifecycle_batches(make_batch)
    expired = make_batch("EXP-20251022-0009", GENERATED_AT - timedelta(hours=1))
    path = tmp_path / "lifecycle.pdf"

    pages = render_sheet_pdf(
        build([*batches.values(), expired]), path, QPageSize(QPageSize.PageSizeId.A4)
    )
    text = " ".join(page_texts(path))

    do_not_use = "On hold / rejected / recalled — do not use 3 batches · 5,400.000 L"
    awaiting = "Awaiting QA 1 batch · 2,500.000 L"
    headings = [
        "Expired — remove 1 batch",
        do_not_use,
        awaiting,
        "Expires today — use first 1 batch · 1,250.000 L",
        "Expires within 3 days — plan 0 batches",
    ]
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions, headings
    assert positions == sorted(positions)  # the walker meets them in this order
    for word, key in [
        ("Rejected", "rejected"),
        ("On hold", "held"),
        ("Recalled", "recalled"),
        ("Awaiting QA", "pending"),
    ]:
        assert f"{word} {batches[key].code}" in text, word  # each row says why, by its code
    assert "Usable (today and plan): 1,250.000 L" in text  # none of the blocked litres
    assert "▲ 11.0 °C" in text  # a warm rejected load
    assert "▲ 9.2 °C" in text  # a warm usable load
    assert "3.8 °C" in text
    assert "▲ 3.8 °C" not in text
    assert "▲ received above the plant's limit of 7.0 °C" in text
    assert f"Page {pages} of {pages}" in text


def test_the_lifecycle_sections_keep_page_breaks_and_barcodes_intact(
    tmp_path: Path,
    make_batch: MakeBatch,
    known: dict[str, list[Batch]],
    page_texts: PageTexts,
    decode_pdf: DecodePdf,
) -> None:
    held = [
        replace(
            make_batch(f"HLD-20251024-{i:04d}", GENERATED_AT + timedelta(hours=i)),
            held_at=GENERATED_AT,
        )
        for i in range(1, 21)
    ]
    everything = [b for group in known.values() for b in group] + held
    sheet = build(everything)
    path = tmp_path / "long.pdf"

    pages = render_sheet_pdf(sheet, path, QPageSize(QPageSize.PageSizeId.A4))
    texts = page_texts(path)

    assert pages == len(texts) == page_count(sheet)
    joined = " ".join(texts)
    assert "On hold / rejected / recalled — do not use (continued)" in joined
    assert joined.count("On hold HLD-20251024-") == 20
    decoded = {b.text for page in decode_pdf(path, 300) for b in page}
    assert {b.code for b in held} <= decoded
