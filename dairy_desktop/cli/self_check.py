"""`dairy-desktop self-check`: what IT runs after installing on a new PC.

Upgrades the schema, registers, consumes and audits one batch, verifies the whole audit trail
(`audit verify`), builds the main window offscreen and renders a daily sheet to PDF, then
prints one verdict line. Without
`--database-url` all of it happens in a temporary SQLite file, so the plant's data is never
touched; with one, the test batch is soft-deleted afterwards (the audit trail keeps it).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dairy_desktop.cli.exit_codes import EXIT_AUDIT_MISMATCH, EXIT_FAILED, EXIT_OK
from dairy_desktop.cli.output import print_error
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.clock import utc_now
from dairy_desktop.domain.errors import DairyError, DuplicateCode
from dairy_desktop.domain.qa import QaResult, QaState
from dairy_desktop.services.actor import make_actor

if TYPE_CHECKING:
    from dairy_desktop.db.database import Database

log = logging.getLogger(__name__)
_app: Any = None

WINDOW_TIMEOUT_S = 30.0
REASON = "self-check"
REGISTER_LITERS, CONSUME_LITERS, LEFT_LITERS = Decimal("10.000"), Decimal("0.250"), Decimal("9.750")
# Two days of shelf life puts the batch in the sheet's planning section on any day.
SHELF_LIFE_DAYS = 2


class StepFailed(Exception):
    def __init__(self, step: str, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(f"{step}: {message}")
        self.step, self.message, self.exit_code = step, message, exit_code


@contextmanager
def step(name: str) -> Iterator[None]:
    """Turn any error inside into StepFailed naming the step (keeping a DairyError's code)."""
    started = time.perf_counter()
    try:
        yield
    except StepFailed:
        raise
    except DairyError as error:
        raise StepFailed(name, str(error), error.exit_code) from error
    except Exception as error:
        log.exception("self-check step %s failed", name)
        raise StepFailed(name, f"{type(error).__name__}: {error}") from error
    finally:
        log.info("self-check step %s: %.2f s", name, time.perf_counter() - started)


def candidate_codes(today: date, serial: int, pattern: str = "") -> Iterator[str]:
    """Plausible batch codes, most likely shapes first: CHK-20251204-0042, CHK251204042, …

    A pattern that starts with fixed letters (`^MLK\\d{6}$`) lends them as the prefix."""
    fixed = re.match(r"\^?([A-Za-z0-9]+)(?![*+?{])", pattern)
    prefixes = (*([fixed.group(1)] if fixed else []), "CHK", "SC", "SELFCHECK", "X", "")
    days = (f"{today:%Y%m%d}", f"{today:%y%m%d}", "")
    widths = (4, 3, 5, 6, 2, 8)
    separators = ("-", "", "_", "/", ".", " ")
    shapes = itertools.product(prefixes, days, widths, separators, separators)
    for prefix, day, width, first, second in shapes:
        number = f"{serial % 10**width:0{width}d}"
        code = f"{prefix}{first if prefix and day else ''}{day}{second if day or prefix else ''}{number}"
        yield code
        yield code.lower()


def self_check_code(pattern: str, today: date, serial: int) -> str | None:
    """A code matching the plant's pattern, or None if no simple shape fits a custom one."""
    compiled = re.compile(pattern)
    candidates = candidate_codes(today, serial, pattern)
    return next((c for c in candidates if compiled.fullmatch(c)), None)


@contextmanager
def _window_home(folder: Path) -> Iterator[None]:
    """Point the window's remembered layout at `folder`: closing the offscreen window must not
    overwrite the layout the operator of this PC saved."""
    saved = os.environ.get("DAIRY_DESKTOP_HOME")
    os.environ["DAIRY_DESKTOP_HOME"] = str(folder)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("DAIRY_DESKTOP_HOME", None)
        else:
            os.environ["DAIRY_DESKTOP_HOME"] = saved


def _qt_message_to_log(mode: Any, _context: Any, message: str) -> None:
    # Qt: loaded only by the window and sheet steps (this runs once they have).
    from PySide6.QtCore import QtMsgType

    quiet = mode in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg)
    log.log(logging.DEBUG if quiet else logging.WARNING, "Qt: %s", message)


def offscreen_app() -> Any:
    """The QApplication, created on the offscreen platform: a self-check never pops up a window
    on the PC's screen, and works without a display (`-platform` beats QT_QPA_PLATFORM)."""
    # Qt GUI: only when the self-check reaches its window and sheet steps.
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    global _app
    app = QApplication.instance()
    if app is None:
        # Offscreen chatter ("does not support propagateSizeHints") belongs in the log, not
        # in the one-line verdict an IT person reads.
        qInstallMessageHandler(_qt_message_to_log)
        argv = [sys.argv[0] if sys.argv else "dairy-desktop", "-platform", "offscreen"]
        # Kept in a global: the window step and the sheet step must share one application
        # (a collected one would take Qt's font database with it).
        app = _app = QApplication(argv)
    return app


class SelfCheck:
    def __init__(self, url: str, work: Path, *, temporary: bool, operator: str | None) -> None:
        self.url, self.work, self.temporary = url, work, temporary
        self.actor = make_actor(operator)
        self.passed: list[str] = []
        self.where = "database"
        self.code: str | None = None

    def run(self) -> None:
        # SQLAlchemy and Alembic: only when the self-check runs.
        from dairy_desktop.db.database import migrate, open_database

        with step("database"):
            database = open_database(self.url, upgrade=False)
        kind = "PostgreSQL" if database.kind == "postgresql" else "SQLite"
        self.where = f"{kind} (temporary file)" if self.temporary else f"{kind} {database.location}"
        try:
            with step("schema"):
                _before, after = migrate(database)
            self.passed.append(f"schema {after}")
            try:
                with step("register/consume/audit"):
                    self._batch_round_trip(database)
            except StepFailed:
                self._delete_test_batch(database, quietly=True)
                raise
            self.passed.append(f"register/consume/audit ({self.code})")
            if not self.temporary:
                with step("clean-up"):
                    self._delete_test_batch(database)
                self.passed.append(f"test batch deleted (reason '{REASON}')")
            with step("audit verify"):
                # Logged, not added to the verdict: a pass changes nothing an IT person
                # reads, a failure is the verdict (exit 8).
                log.info("self-check: %s", self._verify(database))
            with step("window"):
                self.passed.append(self._window())
            with step("sheet"):
                self.passed.append(self._sheet(database))
        finally:
            database.dispose()

    def _batch_round_trip(self, database: Database) -> None:
        # SQLAlchemy (services reach the database): only when the self-check runs.
        from dairy_desktop.services.audit_trail import AuditFilter, list_audit
        from dairy_desktop.services.consume import consume
        from dairy_desktop.services.plant_settings import get_plant_settings
        from dairy_desktop.services.qa_release import record_qa_once
        from dairy_desktop.services.register import register_batch

        settings = get_plant_settings(database)
        today = utc_now().astimezone(settings.zone).date()  # the plant's day, not the PC's
        for _attempt in range(5):  # a random serial: retry the rare clash with an old check
            code = self_check_code(settings.code_pattern, today, secrets.randbelow(10**8))
            if code is None:
                raise StepFailed(
                    "register/consume/audit",
                    f"the plant's code pattern {settings.code_pattern} is custom; self-check "
                    "cannot build a code that matches it (nothing was registered)",
                )
            try:
                registered = register_batch(
                    database,
                    code=code,
                    liters=REGISTER_LITERS,
                    shelf_life_days=SHELF_LIFE_DAYS,
                    actor=self.actor.for_action(),
                )
                break
            except DuplicateCode:
                continue
        else:
            raise StepFailed("register/consume/audit", "no free self-check code after 5 tries")
        self.code = code
        # Behind the plant's QA release gate the test batch waits for the lab like any
        # delivery: passes of the required tests release it, so the round trip covers the gate.
        passes = settings.required_tests if registered.batch.qa_state is QaState.PENDING else ()
        for test in passes:
            record_qa_once(
                database,
                code,
                test=test,
                result=QaResult.PASS,
                analyst="self-check",
                actor=self.actor.for_action(),
            )
        order = f"CHECK-{today:%Y%m%d}-{secrets.randbelow(10_000):04d}"
        consumer = self.actor.for_action()
        batch = consume(database, code, CONSUME_LITERS, order_id=order, actor=consumer)
        version = 2 + len(passes)
        if batch.remaining_liters != LEFT_LITERS or batch.version != version:
            raise StepFailed(
                "register/consume/audit",
                f"after consuming {CONSUME_LITERS} L of {REGISTER_LITERS} L the batch has "
                f"{batch.remaining_liters} L at version {batch.version} (expected "
                f"{LEFT_LITERS} L at version {version})",
            )
        events = list_audit(database, AuditFilter(batch_code=code))
        seen = [(e.action, e.liters, e.order_id, e.correlation_id) for e in events]
        wanted = [
            (AuditAction.REGISTER, REGISTER_LITERS, None),
            *((AuditAction.QA, None, None) for _ in passes),
            (AuditAction.CONSUME, CONSUME_LITERS, order),
        ]
        if [s[:3] for s in seen] != wanted or seen[-1][3] != consumer.correlation_id:
            raise StepFailed("register/consume/audit", f"unexpected audit trail {seen}")

    def _verify(self, database: Database) -> str:
        # SQLAlchemy (services reach the database): only when the self-check runs.
        from dairy_desktop.services.audit_verify import verify_audit

        verification = verify_audit(database)
        if not verification.ok:
            raise StepFailed("audit verify", verification.message, EXIT_AUDIT_MISMATCH)
        return f"audit verify ({verification.events} events)"

    def _delete_test_batch(self, database: Database, *, quietly: bool = False) -> None:
        """Leave no self-check batch as live stock in a real database; `quietly` when another
        failure is already being reported (that one matters more)."""
        # SQLAlchemy (services reach the database): only when the self-check runs.
        from dairy_desktop.services.lifecycle import delete_batch

        if self.temporary or self.code is None:
            return
        try:
            delete_batch(database, self.code, reason=REASON, actor=self.actor.for_action())
        except Exception:
            if not quietly:
                raise
            log.exception("self-check could not delete its test batch %s", self.code)

    def _window(self) -> str:
        app = offscreen_app()
        # Qt GUI and the window's modules: only for this step.
        from PySide6.QtCore import QEventLoop, QTimer
        from PySide6.QtGui import QImageReader

        from dairy_desktop.ui.main.window import MainWindow
        from dairy_desktop.ui.tasks import TaskRunner

        with _window_home(self.work / "window-home"):
            runner = TaskRunner()
            window = MainWindow(self.url, self.actor, runner)
            loop = QEventLoop()
            loaded: list[bool] = []

            def on_loaded() -> None:
                loaded.append(True)
                loop.quit()

            window.loaded.connect(on_loaded)
            QTimer.singleShot(int(WINDOW_TIMEOUT_S * 1000), loop.quit)
            window.show()
            window.start()
            if not loaded:
                loop.exec()
            try:
                if not loaded:
                    trouble = window.banner.message() or "no answer from the database"
                    raise StepFailed(
                        "window", f"batches not loaded in {WINDOW_TIMEOUT_S:.0f} s: {trouble}"
                    )
                if self.temporary and self.code and window.model.row_of(self.code) is None:
                    raise StepFailed("window", f"the test batch {self.code} is not in the table")
                picture = window.grab()  # really paints every widget, offscreen
                if picture.isNull() or picture.width() == 0:
                    raise StepFailed("window", "the window could not be painted")
                # Icons are SVG: a package built without Qt's SVG plugin would show none.
                if b"svg" not in {bytes(f.data()) for f in QImageReader.supportedImageFormats()}:
                    raise StepFailed("window", "Qt cannot read SVG images (plugin missing)")
            finally:
                window.close()
                if window.session is not None:
                    window.session.close()
                runner.wait_for_done(5_000)
                window.deleteLater()
                app.processEvents()
        return f"window ({app.platformName()})"

    def _sheet(self, database: Database) -> str:
        offscreen_app()  # QPdfWriter needs a GUI application for its fonts
        # Qt GUI: only for this step; a build without the printing modules fails this step
        # alone. The same path as `print-sheet` and the window's sheet.
        try:
            from dairy_desktop.printing.sheet.render import render_sheet_pdf
            from dairy_desktop.printing.sheet.source import sheet_from_listing
        except ImportError as error:
            raise StepFailed("sheet", f"not available ({error})") from error
        # SQLAlchemy (services reach the database): only when the self-check runs.
        from dairy_desktop.services.queries import list_batches

        listing = list_batches(database)
        sheet = sheet_from_listing(listing, self.actor, sheet_date=None, days=None)
        if self.temporary and sheet.row_count == 0:
            raise StepFailed("sheet", f"the test batch {self.code} is not on the sheet")
        pdf = self.work / "self-check-sheet.pdf"
        pages = render_sheet_pdf(sheet, pdf)
        with pdf.open("rb") as file:
            if pages < 1 or file.read(5) != b"%PDF-":
                raise StepFailed("sheet", f"{pdf} is not a PDF ({pages} pages reported)")
        return f"sheet PDF ({pages} page{'s' if pages != 1 else ''})"


def cmd_self_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    url: str | None = getattr(args, "database_url", None)
    with tempfile.TemporaryDirectory(prefix="dairy-self-check-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        temporary = url is None
        if url is None:
            url = f"sqlite:///{(work / 'self-check.sqlite3').as_posix()}"
        check = SelfCheck(url, work, temporary=temporary, operator=args.operator)
        try:
            check.run()
        except StepFailed as failure:
            elapsed = time.perf_counter() - started
            passed = f" (passed: {', '.join(check.passed)})" if check.passed else ""
            print(
                f"self-check: FAILED at {failure.step} — {failure.message}{passed} — {elapsed:.1f} s"
            )
            print_error(f"self-check failed at {failure}")
            log.error("self-check failed at %s", failure)
            return failure.exit_code
    elapsed = time.perf_counter() - started
    verdict = f"self-check: OK — {check.where}: {', '.join(check.passed)} — {elapsed:.1f} s"
    print(verdict)
    log.info(verdict)
    return EXIT_OK


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "self-check",
        help="check this installation end to end (temporary database unless --database-url)",
    )
    # SUPPRESS: an absent option must not hide `dairy-desktop --database-url URL self-check`.
    parser.add_argument(
        "--database-url", metavar="URL", default=argparse.SUPPRESS, help="check this database"
    )
    parser.set_defaults(handler=cmd_self_check)
