"""print-sheet and print-label from the command line: PDFs read back, barcodes decoded and
scanned, refusals with their exit codes, and never a file left behind by a refusal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from dairy_desktop.barcodes.scan_parse import parse_scan
from dairy_desktop.barcodes.scan_results import BatchScan, GS1Scan
from dairy_desktop.db.database import Database
from dairy_desktop.domain.codes import DEFAULT_CODE_PATTERN
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.printing import print_target
from dairy_desktop.services.lifecycle import delete_batch
from dairy_desktop.services.plant_settings import update_plant_settings
from dairy_desktop.services.register import register_batch
from tests.e2e.cli_runner import Outcome, run_cli
from tests.integration.helpers import ANN
from tests.ui.printing.conftest import decode_barcodes, pdf_page_texts, rasterise

BERLIN = "Europe/Berlin"
EXPIRED = "EXP-20251128-0001"  # expires 2025-12-03 11:00 Berlin: before the sheet's day
TODAY = "TOD-20251130-0001"  # expires 2025-12-04 10:00 Berlin: during the sheet's day
PLAN = "PLN-20251201-0001"  # expires 2025-12-06 09:00 Berlin: within 2+ days
FRESH = "FRE-20251202-0001"  # expires 2025-12-12: beyond the horizon
DELETED = "DEL-20251130-0002"  # would expire today, but deleted
SHEET_DATE = "2025-12-04"
Cli = Callable[..., Outcome]
PYTHON_CLI = (sys.executable, "-m", "dairy_desktop")


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> QApplication:
    """A QApplication before the CLI makes its own QGuiApplication: later UI tests need one."""
    return qapp


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], database_url: str) -> Cli:
    def run(*args: str) -> Outcome:
        return run_cli(capsys, database_url, *args)

    return run


def _register(database: Database, code: str, received: datetime, days: int, liters: str) -> None:
    register_batch(
        database,
        code=code,
        liters=liters,
        shelf_life_days=days,
        received_at=received,
        fat_percent="3.6",
        actor=ANN,
    )


@pytest.fixture
def plant(database: Database) -> Database:
    # Released at registration: this is about what the sheet shows of usable milk.
    settings = PlantSettings(
        plant_name="Riverside Dairy", time_zone=BERLIN, qa_release_required=False
    )
    update_plant_settings(database, settings, ANN)
    _register(database, EXPIRED, datetime(2025, 11, 28, 10, tzinfo=UTC), 5, "250.5")
    _register(database, TODAY, datetime(2025, 11, 30, 9, tzinfo=UTC), 4, "1000")
    _register(database, PLAN, datetime(2025, 12, 1, 8, tzinfo=UTC), 5, "2000")
    _register(database, FRESH, datetime(2025, 12, 2, 8, tzinfo=UTC), 10, "300")
    _register(database, DELETED, datetime(2025, 11, 30, 10, tzinfo=UTC), 4, "400")
    delete_batch(database, DELETED, reason="spilled", actor=ANN)
    return database


def _between(text: str, start: str, end: str | None) -> str:
    # Section headings also appear in the summary boxes at the top: the last one is the section.
    begin = text.rindex(start)
    return text[begin : text.rindex(end) if end else len(text)]


def test_print_sheet_writes_each_batch_in_its_section(
    cli: Cli, plant: Database, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.pdf"

    outcome = cli("print-sheet", "--date", SHEET_DATE, "--days", "3", "--output", str(path))

    assert outcome.code == 0, outcome.err
    assert outcome.out == f"Daily expiry sheet for {SHEET_DATE}: 1 page written to {path}\n"
    (text,) = pdf_page_texts(path)
    assert "Riverside Dairy" in text
    assert "Thursday 2025-12-04" in text
    assert "generated" in text
    assert "by ann" in text
    expired = _between(text, "Expired — remove", "Expires today — use first")
    today = _between(text, "Expires today — use first", "Expires within 3 days — plan")
    plan = _between(text, "Expires within 3 days — plan", "Sign-off")
    assert EXPIRED in expired
    assert "1 batch · 250.500 L" in expired
    assert TODAY in today
    assert "1 batch · 1,000.000 L" in today
    assert PLAN in plan
    assert "2025-12-06 09:00" in plan
    assert FRESH not in text
    assert DELETED not in text
    assert "Page 1 of 1" in text


def test_days_narrows_the_plan_section(cli: Cli, plant: Database, tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"

    outcome = cli("print-sheet", "--date", SHEET_DATE, "--days", "1", "--output", str(path))

    assert outcome.code == 0, outcome.err
    (text,) = pdf_page_texts(path)
    assert "Expires within 1 day — plan" in text
    assert TODAY in text
    assert PLAN not in text


def test_without_date_the_sheet_is_for_today_in_plant_time(
    cli: Cli, plant: Database, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.pdf"

    outcome = cli("print-sheet", "--output", str(path))

    assert outcome.code == 0, outcome.err
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo(BERLIN)).date()
    assert f"for {today.isoformat()}:" in outcome.out
    (text,) = pdf_page_texts(path)
    # Plan horizon defaults to the plant setting (3 days).
    assert "Expires within 3 days — plan" in text
    # Every test batch expired long before today.
    assert EXPIRED in _between(text, "Expired — remove", "Expires today — use first")


@pytest.mark.parametrize("bad_date", ["2025-13-01", "yesterday", "04.12.2025", "20251204"])
def test_a_bad_date_is_refused_with_exit_2_and_no_file(
    cli: Cli, tmp_path: Path, bad_date: str
) -> None:
    outcome = cli("print-sheet", "--date", bad_date, "--output", str(tmp_path / "s.pdf"))

    assert outcome.code == 2
    assert outcome.err.startswith("dairy-desktop: Sheet date")
    assert "YYYY-MM-DD" in outcome.err
    assert outcome.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("days", ["-1", "31", "three"])
def test_a_bad_horizon_is_refused_with_exit_2_and_no_file(
    cli: Cli, tmp_path: Path, days: str
) -> None:
    outcome = cli("print-sheet", "--days", days, "--output", str(tmp_path / "s.pdf"))

    assert outcome.code == 2
    assert "days" in outcome.err
    assert list(tmp_path.iterdir()) == []


def test_output_or_printer_is_required_and_not_both(cli: Cli, tmp_path: Path) -> None:
    neither = cli("print-sheet")
    both = cli("print-sheet", "--output", str(tmp_path / "s.pdf"), "--printer", "X")

    assert (neither.code, both.code) == (2, 2)
    assert "--output" in neither.err
    assert "not allowed with" in both.err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_output_folder_is_refused_before_anything_is_written(
    cli: Cli, tmp_path: Path
) -> None:
    outcome = cli("print-sheet", "--output", str(tmp_path / "no" / "sheet.pdf"))

    assert outcome.code == 2
    assert "does not exist" in outcome.err
    assert list(tmp_path.iterdir()) == []


def test_an_unavailable_database_exits_6_without_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = "postgresql://nobody@127.0.0.1:1/dairy"
    sheet = run_cli(capsys, url, "print-sheet", "--output", str(tmp_path / "s.pdf"))
    label = run_cli(capsys, url, "print-label", EXPIRED, "--output", str(tmp_path / "l.pdf"))

    assert (sheet.code, label.code) == (6, 6)
    assert "Database unavailable" in sheet.err
    assert list(tmp_path.iterdir()) == []


def test_print_label_writes_a_label_whose_barcodes_scan_back_to_the_batch(
    cli: Cli, plant: Database, tmp_path: Path
) -> None:
    path = tmp_path / "label.pdf"

    outcome = cli("print-label", TODAY, "--output", str(path))

    assert outcome.code == 0, outcome.err
    assert outcome.out == f"Label for batch {TODAY}: 1 page written to {path}\n"
    (text,) = pdf_page_texts(path)
    assert "Expires 2025-12-04 10:00" in text
    (page,) = rasterise(path, tmp_path, 300)
    decoded = {b.symbology_identifier: b for b in decode_barcodes(page)}
    assert sorted(decoded) == ["]C0", "]C1"]
    assert decoded["]C1"].text == f"(17)251204(7003)2512041000(10){TODAY}"
    now = datetime(2025, 12, 4, 8, 0)
    # What a keyboard-wedge scanner types for each barcode, through the app's scan parser.
    gs1 = parse_scan(
        "]C1" + decoded["]C1"].bytes.decode("ascii"), code_pattern=DEFAULT_CODE_PATTERN, now=now
    )
    plain = parse_scan(decoded["]C0"].text, code_pattern=DEFAULT_CODE_PATTERN, now=now)
    assert isinstance(gs1, GS1Scan)
    assert gs1.batch_code == TODAY
    assert gs1.expiry_date == date(2025, 12, 4)
    assert gs1.expiry_datetime == datetime(2025, 12, 4, 10, 0)
    assert not gs1.expiry_passed
    assert isinstance(plain, BatchScan)
    assert plain.code == TODAY


def test_print_label_takes_the_label_size(cli: Cli, plant: Database, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "label.pdf"

    outcome = cli("print-label", TODAY, "--size", "101.6x76.2", "--output", str(path))

    assert outcome.code == 0, outcome.err
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (288, 216)


@pytest.mark.parametrize(
    ("size", "message"),
    [("62x50", "too narrow"), ("100x30", "too short"), ("big", "WIDTHxHEIGHT"), ("0x50", "more")],
)
def test_a_label_size_that_cannot_work_is_refused_without_a_file(
    cli: Cli, plant: Database, tmp_path: Path, size: str, message: str
) -> None:
    outcome = cli("print-label", TODAY, "--size", size, "--output", str(tmp_path / "l.pdf"))

    assert outcome.code == 2
    assert message in outcome.err
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_code_exits_4_and_leaves_an_old_file_alone(
    cli: Cli, plant: Database, tmp_path: Path
) -> None:
    old = tmp_path / "label.pdf"
    old.write_bytes(b"yesterday's label")

    outcome = cli("print-label", "XYZ-20990101-0001", "--output", str(old))
    missing = cli("print-label", "XYZ-20990101-0001", "--output", str(tmp_path / "new.pdf"))

    assert (outcome.code, missing.code) == (4, 4)
    assert "No batch with code 'XYZ-20990101-0001'" in outcome.err
    assert [p.name for p in tmp_path.iterdir()] == ["label.pdf"]
    assert old.read_bytes() == b"yesterday's label"


@pytest.fixture
def printers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """Two installed printers; a job sent to one lands as a PDF in tmp_path/spool."""
    spool = tmp_path / "spool"
    spool.mkdir()
    jobs: list[Path] = []
    monkeypatch.setattr(print_target, "available_printers", lambda: ["Office Laser", "Zebra"])

    def fake_printer(name: str, layout: QPageLayout, doc_name: str) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        jobs.append(spool / f"{name}-{len(jobs)}.pdf")
        printer.setOutputFileName(str(jobs[-1]))
        printer.setPageLayout(layout)
        return printer

    monkeypatch.setattr(print_target, "named_printer", fake_printer)
    return jobs


def test_an_unknown_printer_exits_2_naming_the_installed_ones(
    cli: Cli, printers: list[Path]
) -> None:
    outcome = cli("print-sheet", "--printer", "Basement")

    assert outcome.code == 2
    assert outcome.err == (
        "dairy-desktop: No printer named 'Basement'. Available printers: 'Office Laser', 'Zebra'.\n"
    )
    assert printers == []


def test_with_no_printer_installed_the_refusal_says_so(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_target, "available_printers", list)

    outcome = cli("print-label", TODAY, "--printer", "Zebra")

    assert outcome.code == 2
    assert "Available printers: none" in outcome.err


def test_sheet_and_label_go_to_a_named_printer(
    cli: Cli, plant: Database, printers: list[Path]
) -> None:
    sheet = cli("print-sheet", "--date", SHEET_DATE, "--printer", "Office Laser")
    label = cli("print-label", PLAN, "--printer", "Zebra")

    assert (sheet.code, label.code) == (0, 0), sheet.err + label.err
    assert (
        sheet.out == f"Daily expiry sheet for {SHEET_DATE}: 1 page sent to printer 'Office Laser'\n"
    )
    assert label.out == f"Label for batch {PLAN}: 1 page sent to printer 'Zebra'\n"
    sheet_job, label_job = printers
    assert TODAY in pdf_page_texts(sheet_job)[0]
    assert PLAN in pdf_page_texts(label_job)[0]


@pytest.mark.parametrize(
    ("platform", "environ", "offscreen"),
    [
        ("linux", {}, True),
        ("linux", {"DISPLAY": ":0"}, False),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, False),
        ("linux", {"QT_QPA_PLATFORM": "xcb"}, False),
        ("win32", {}, False),
        ("darwin", {}, False),
    ],
)
def test_offscreen_only_on_a_linux_box_without_a_display(
    platform: str, environ: dict[str, str], offscreen: bool
) -> None:
    assert print_target.needs_offscreen(platform, environ) is offscreen


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="display variables are Linux's")
def test_a_cron_job_without_a_display_prints_offscreen(sqlite_factory: Any, tmp_path: Path) -> None:
    url = sqlite_factory.new_url()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    path = tmp_path / "morning.pdf"

    done = subprocess.run(
        [*PYTHON_CLI, "--database-url", url, "print-sheet", "--output", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"1 page written to {path}\n")
    assert "Daily expiry sheet" in pdf_page_texts(path)[0]
