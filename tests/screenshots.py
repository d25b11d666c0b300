"""Render every window, dialog and printed page to PNG for a person to look at.

    python -m tests.screenshots [OUTPUT_FOLDER]            # 100 % and 150 %, light and dark
    python -m tests.screenshots OUTPUT --scale 1.5 --dark  # one combination

Uses a throwaway SQLite database with the sample data; runs offscreen. The scale has to be
set before Qt starts, so the full matrix runs one child process per combination, each into
its own sub-folder (``100-light``, ``150-dark`` …).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

COMBINATIONS = [(1.0, False), (1.0, True), (1.5, False), (1.5, True)]


def _folder_name(scale: float, dark: bool) -> str:
    return f"{round(scale * 100)}-{'dark' if dark else 'light'}"


def render_matrix(folder: Path) -> list[Path]:
    """Every combination, each in a fresh process (Qt reads the scale factor once)."""
    written: list[Path] = []
    for scale, dark in COMBINATIONS:
        target = folder / _folder_name(scale, dark)
        args = [sys.executable, "-m", "tests.screenshots", str(target), "--scale", str(scale)]
        done = subprocess.run(
            [*args, *(["--dark"] if dark else [])],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "QT_SCALE_FACTOR": str(scale)},
        )
        written += [Path(line) for line in done.stdout.splitlines() if line.strip()]
    return written


def _dark_palette() -> object:
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.Text: "#e6e6e6",
        role.Button: "#353535",
        role.ButtonText: "#e6e6e6",
        role.Highlight: "#3d6fb4",
        role.HighlightedText: "#ffffff",
        role.ToolTipBase: "#353535",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#8c8c8c",
        role.BrightText: "#ffffff",
        role.Link: "#7fb2ff",
    }
    for colour_role, colour in colours.items():
        palette.setColor(colour_role, QColor(colour))
    palette.setColor(group.Disabled, role.Text, QColor("#7a7a7a"))
    palette.setColor(group.Disabled, role.ButtonText, QColor("#7a7a7a"))
    palette.setColor(group.Disabled, role.WindowText, QColor("#7a7a7a"))
    return palette


def render_one(folder: Path, *, dark: bool) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("DAIRY_DESKTOP_HOME", tempfile.mkdtemp(prefix="dairy-shots-"))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    if dark:
        from PySide6.QtGui import QPalette

        app.setStyle("Fusion")
        palette = _dark_palette()
        assert isinstance(palette, QPalette)
        app.setPalette(palette)
    folder.mkdir(parents=True, exist_ok=True)
    return _render_screens(folder)


def _save(widget: object, folder: Path, name: str) -> Path:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    widget.show()
    for _ in range(3):  # layouts settle over a couple of event-loop turns
        QApplication.processEvents()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    return path


def _pdf_pages(pdf: Path, folder: Path, name: str) -> list[Path]:
    """The printed page as the printer gets it, as PNGs (needs pdftoppm, else the PDF)."""
    prefix = folder / name
    try:
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(prefix)], check=True)
    except (OSError, subprocess.CalledProcessError):
        return [pdf]
    return sorted(folder.glob(f"{name}*.png"))


def _render_screens(folder: Path) -> list[Path]:
    from dairy_desktop.printing.label.render import render_label_pdf
    from dairy_desktop.printing.sheet.render import render_sheet_pdf
    from dairy_desktop.printing.sheet.source import sheet_from_listing
    from dairy_desktop.services.actor import Actor
    from dairy_desktop.services.sample_data import load_sample_data
    from dairy_desktop.services.session import AppSession
    from dairy_desktop.ui.audit.window import AuditWindow
    from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
    from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
    from dairy_desktop.ui.dialogs.label_print_dialog import LabelPrintDialog
    from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
    from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
    from dairy_desktop.ui.dialogs.settings_dialog import SettingsDialog
    from dairy_desktop.ui.dialogs.sheet_options_dialog import SheetOptionsDialog
    from dairy_desktop.ui.main.window import MainWindow
    from dairy_desktop.ui.scanner.scan_log_window import ScanLogWindow
    from dairy_desktop.ui.tasks import TaskRunner

    url = f"sqlite:///{(folder / 'screens.sqlite3').as_posix()}"
    actor = Actor("maria", "OFFICE-PC-1")
    session = AppSession.open(url, actor)
    load_sample_data(session.database, actor)
    _lifecycle_samples(session, actor)
    runner = TaskRunner(synchronous=True)
    window = MainWindow(url, actor, runner)
    window.resize(1280, 760)
    window.start()
    batch = next(r.batch for r in window.model.all_rows() if r.status.value == "near_expiry")
    window.select_code(batch.code)
    paths = [_save(window, folder, "main_window")]
    zone = window.settings.zone

    consume = ConsumeDialog(batch, session, runner, window)
    consume.liters.setText("1,000")
    consume.order.setText("ORDER-20251204-1234")
    paths.append(_save(consume, folder, "consume_dialog"))
    other = session.consume(batch.code, "50", order_id=None, expected_version=batch.version)
    paths.append(_save(ConflictPrompt(batch, other, window), folder, "conflict_prompt"))
    register = RegisterDialog(window.settings, session, runner, window)
    register.code.setText("sch-2025")
    register.liters.setText("4200,5")
    paths.append(_save(register, folder, "register_dialog"))
    paths.append(_save(ReasonDialog(other, delete=True, parent=window), folder, "delete_dialog"))
    paths.append(_save(ReasonDialog(other, delete=False, parent=window), folder, "restore_dialog"))
    paths.append(_save(SettingsDialog(session, runner, window), folder, "settings_dialog"))
    sheet_options = SheetOptionsDialog(
        today=session.now().astimezone(zone).date(),
        days=window.settings.near_expiry_days,
        zone_name=str(zone),
        action="Print",
        parent=window,
    )
    paths.append(_save(sheet_options, folder, "sheet_options_dialog"))
    paths.append(_save(LabelPrintDialog(other, zone, window), folder, "label_print_dialog"))
    audit = AuditWindow(session, runner, window)
    audit.resize(1100, 600)
    paths.append(_save(audit, folder, "audit_window"))
    scans = window.scan_router.log_model if hasattr(window, "scan_router") else None
    if scans is not None:
        paths.append(_save(ScanLogWindow(scans, window), folder, "scan_log"))
    paths += _optional_scanner_dialog(window, folder)

    sheet = sheet_from_listing(session.listing(), actor, sheet_date=None, days=None)
    render_sheet_pdf(sheet, folder / "sheet.pdf")
    paths += _pdf_pages(folder / "sheet.pdf", folder, "printed_sheet")
    render_label_pdf(other, folder / "label.pdf", zone=zone)
    paths += _pdf_pages(folder / "label.pdf", folder, "printed_label")

    paths += _lifecycle_screens(window, session, runner, folder)

    empty = MainWindow(f"sqlite:///{(folder / 'empty.sqlite3').as_posix()}", actor, runner)
    empty.start()
    paths.append(_save(empty, folder, "empty_state"))
    # Closing uninstalls each window's scanner filter from the (shared) application.
    for main in (window, empty):
        main.close()
        if main.session is not None:
            main.session.close()
    session.close()
    return paths


def _lifecycle_samples(session: object, actor: object) -> None:
    """A batch in each lifecycle status, and a warm load, for the table, legend and sheet."""
    from dairy_desktop.services.holds import hold_once, recall_once
    from dairy_desktop.services.qa_release import record_qa_once
    from dairy_desktop.services.register import register_batch
    from dairy_desktop.services.session import AppSession

    assert isinstance(session, AppSession)
    database, now = session.database, session.now()
    day = f"{now:%Y%m%d}"
    for number, (supplier, temperature) in enumerate([("Hofmann", "8.4"), ("Almhof", "4.1")], 1):
        register_batch(
            database,
            code=f"TNK-{day}-{number:04d}",
            liters="6000",
            shelf_life_days=5,
            supplier=supplier,
            tanker=f"TK-{number}",
            temperature=temperature,
            actor=actor,  # type: ignore[arg-type]
        )
    fail = {"test": "beta-lactam", "result": "fail", "analyst": "lab"}
    record_qa_once(database, f"TNK-{day}-0002", **fail, actor=actor)  # type: ignore[arg-type]
    fresh = [
        b.code
        for b in session.listing().batches
        if b.status(now, session.plant_settings().zone).value == "fresh"
    ]
    hold_once(database, fresh[0], reason="Lab asked to re-test", actor=actor)  # type: ignore[arg-type]
    recall_once(database, fresh[1], reason="Supplier recall notice", actor=actor)  # type: ignore[arg-type]


def _lifecycle_screens(window: Any, session: Any, runner: Any, folder: Path) -> list[Path]:
    """The lifecycle's dialogs, each on a batch in the state it is for, and the window's
    details pane on a batch awaiting QA and on an expired one."""
    from datetime import timedelta
    from decimal import Decimal

    from dairy_desktop.domain.qa import QaState
    from dairy_desktop.domain.status import BatchStatus
    from dairy_desktop.services.register import register_batch
    from dairy_desktop.ui.dialogs.blocked_batch_prompt import BlockedBatchPrompt
    from dairy_desktop.ui.dialogs.dispose_dialog import DisposeDialog
    from dairy_desktop.ui.dialogs.hold_dialog import HoldChange, HoldDialog
    from dairy_desktop.ui.dialogs.lifecycle_calls import QaEntry
    from dairy_desktop.ui.dialogs.qa_dialog import QaDialog
    from dairy_desktop.ui.dialogs.recalled_orders import RecalledOrdersDialog
    from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
    from dairy_desktop.ui.dialogs.reverse_dialog import ReverseDialog
    from dairy_desktop.ui.dialogs.session_calls import SessionCalls
    from dairy_desktop.ui.widgets.locale_decimal import plain_decimal

    calls = SessionCalls(session)
    now = session.now()
    paths: list[Path] = []

    def delivery(code: str, **intake: str) -> Any:
        return register_batch(
            session.database,
            code=code,
            liters="4200",
            shelf_life_days=5,
            received_at=now - timedelta(hours=2),
            actor=session.actor.for_action(),
            now=now,
            **intake,
        ).batch

    # Awaiting QA (the gate is on in a new database), warm, with its intake.
    pending = delivery(
        "HOF-20251204-7001",
        supplier="Hof Schmidt",
        tanker="TRL-4471",
        seal="0098812",
        temperature="8.2",
    )
    assert pending.qa_state is QaState.PENDING
    qa = QaDialog(pending, window.settings, "maria", calls, runner, window)
    qa.pass_radio.setChecked(True)
    qa.kit.setText("SNAP Beta-Lactam lot 4471")
    qa.sample_id.setText("S-0419")
    paths.append(_save(qa, folder, "qa_dialog"))
    qa.fail_radio.setChecked(True)
    paths.append(_save(qa, folder, "qa_dialog_fail"))

    released = next(r.batch for r in window.model.all_rows() if r.status.value == "fresh")
    hold = HoldDialog(released, HoldChange.HOLD, calls, runner, window)
    hold.reason.setPlainText("supplier reported a treated cow in this load")
    paths.append(_save(hold, folder, "hold_dialog"))
    held = calls.hold(
        released.code,
        "supplier report awaited",
        expected_version=released.version,
        request_id="shots-hold",
    )
    release = HoldDialog(held, HoldChange.RELEASE, calls, runner, window)
    release.reason.setPlainText("supplier report clean")
    paths.append(_save(release, folder, "release_dialog"))
    recall = HoldDialog(held, HoldChange.RECALL, calls, runner, window)
    recall.reason.setPlainText("supplier recall notice 2025-117")
    paths.append(_save(recall, folder, "recall_dialog"))
    paths.append(
        _save(
            BlockedBatchPrompt(
                held,
                BatchStatus.ON_HOLD,
                window,
                history=lambda: session.history(held.code),
                runner=runner,
            ),
            folder,
            "blocked_scan_prompt",
        )
    )

    used = next(
        r.batch
        for r in window.model.all_rows()
        if r.batch.initial_ml > r.batch.remaining_ml > 0
        and not r.batch.is_deleted
        and r.batch.code != released.code
        and r.status.value != "expired"
    )
    recalled = calls.recall(
        used.code,
        "supplier recall notice 2025-117",
        expected_version=used.version,
        request_id="shots-recall",
    )
    paths.append(_save(RecalledOrdersDialog(recalled, window), folder, "recalled_orders"))

    dispose = DisposeDialog(pending, calls, runner, window)
    dispose.liters.setText(plain_decimal(Decimal("2.5"), 1))
    dispose.reason.setCurrentIndex(dispose.reason.findData("lab-sample"))
    paths.append(_save(dispose, folder, "dispose_dialog"))
    dispose.reason.setCurrentIndex(dispose.reason.findData("other"))
    dispose.submit_button.click()  # "other" without a note: the reason shows beside it
    paths.append(_save(dispose, folder, "dispose_dialog_other_needs_note"))
    expired = next(r.batch for r in window.model.all_rows() if r.status.value == "expired")
    dispose_expired = DisposeDialog(expired, calls, runner, window, expired=True)
    dispose_expired.show_status("Expired")  # as the window tells it, knowing the expiry
    paths.append(_save(dispose_expired, folder, "dispose_expired"))
    rejected = calls.record_qa(
        pending.code,
        QaEntry("beta-lactam", "fail", "lab-anna", kit="SNAP lot 4471"),
        expected_version=pending.version,
        request_id="shots-fail",
    )
    paths.append(_save(DisposeDialog(rejected, calls, runner, window), folder, "dispose_rejected"))

    consume = next(e for e in session.history(used.code) if e.action.value == "consume")
    reverse = ReverseDialog(session.batch(used.code), consume, calls, runner, window)
    reverse.reason.setPlainText("consumed from the wrong batch")
    paths.append(_save(reverse, folder, "reverse_dialog"))

    register = RegisterDialog(window.settings, session, runner, window)
    register.code.setText("HOF-20251204-7002")
    register.liters.setText("4200")
    register.supplier.setEditText("Hof Schmidt")
    register.tanker.setText("TRL-4471")
    register.seal.setText("0098812")
    register.temperature.setText(plain_decimal(Decimal("8.2"), 1))  # warm: flagged
    register.validate()
    paths.append(_save(register, folder, "register_dialog_intake"))

    window.reload()
    waiting = delivery("HOF-20251204-7003", supplier="Molkerei Nord", temperature="4.1")
    window.reload()
    for code, name in (
        (waiting.code, "details_awaiting_qa"),
        (expired.code, "details_expired"),
        (rejected.code, "details_rejected"),
    ):
        window.select_code(code)
        paths.append(_save(window, folder, name))
    window.select_code(used.code)
    paths.append(_save(window, folder, "details_recalled_history"))
    return paths


def _optional_scanner_dialog(window: object, folder: Path) -> list[Path]:
    try:
        from dairy_desktop.ui.scanner.scanner_dialog import ScannerSettingsDialog
    except ImportError:
        return []
    wedge = getattr(window, "wedge", None)
    if wedge is None:
        return []
    return [_save(ScannerSettingsDialog(wedge, window), folder, "scanner_settings")]  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--scale", type=float, help="one combination: this scale (1.0, 1.5)")
    parser.add_argument("--dark", action="store_true", help="one combination: dark palette")
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="shots-"))
    if args.scale is None and not args.dark:
        written = render_matrix(folder)
    else:
        written = render_one(folder, dark=args.dark)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
