"""Start the windowed app: window first, database behind it."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from dairy_desktop.config.local_settings import choose_database_url, resolve_operator
from dairy_desktop.config.logging_setup import enable_crash_traces
from dairy_desktop.config.package_files import resources_dir
from dairy_desktop.services.actor import make_actor
from dairy_desktop.ui.gui_gc import install_gui_gc
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.startup_probe import watch_first_paint
from dairy_desktop.ui.tasks import TaskRunner

# A window that is never painted (started minimised) still connects, this much later.
START_ANYWAY_MS = 1_000


qt_log = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

QtMessageHandler = Callable[[QtMsgType, QMessageLogContext, str], Any]


def route_qt_messages() -> QtMessageHandler | None:
    """Send Qt's own warnings to the log ("QObject: Cannot create children for a parent that
    is in a different thread", "Timers cannot be started from another thread": the signs of a
    Qt object used off the GUI thread). Any handler already installed still gets each one.
    Returns that previous handler, for `qInstallMessageHandler` when the app ends.
    """
    previous: QtMessageHandler | None = None

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
        if previous is not None:
            previous(kind, context, message)
        elif sys.stderr is not None:  # Qt's own handler, replaced, wrote them here
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handle)
    return previous


def log_uncaught_exceptions() -> None:
    """An exception escaping a slot or event handler is printed by PySide and the app goes
    on; printed to a console nobody sees it. It goes to the log as well."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        logging.getLogger("dairy_desktop.ui").error(
            "uncaught exception in the window", exc_info=(kind, error, trace)
        )
        previous(kind, error, trace)

    sys.excepthook = hook


def run_app(args: argparse.Namespace) -> int:
    enable_crash_traces()  # a segmentation fault leaves every thread's stack in the log
    log_uncaught_exceptions()
    previous_handler = route_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_gui_gc(app)  # cyclic garbage is collected on this thread only, between events
    app.setApplicationName("Dairy Desktop")
    app.setOrganizationName("DairyDesktop")
    app.setWindowIcon(QIcon(str(resources_dir() / "app.svg")))
    runner = TaskRunner()
    window = MainWindow(
        choose_database_url(args.database_url), make_actor(resolve_operator(args.operator)), runner
    )
    window.show()
    when_first_painted(window, window.start)
    watch_first_paint(
        window, window.loaded
    )  # DAIRY_DESKTOP_EXIT_AFTER_PAINT: start-up benchmark hook
    code = app.exec()
    runner.shutdown()  # running work finishes on its own; its results are dropped
    qInstallMessageHandler(previous_handler)
    return int(code)


def when_first_painted(window: QWidget, start: Callable[[], None]) -> None:
    """Call `start` once the window has been painted (or START_ANYWAY_MS at the latest).

    Connecting imports the database layer on a worker (~0.5 s of Python). Started before
    the first paint, that import holds the GIL while the GUI thread lays out and paints,
    which then waits its turn every few milliseconds: the window appears later and the data
    no sooner. Started just after, the window paints at full speed first.
    """
    started: list[bool] = []

    def start_once() -> None:
        if not started:
            started.append(True)
            start()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, start_once)  # after this paint has been drawn
            return False

    window.installEventFilter(FirstPaint(window))
    QTimer.singleShot(START_ANYWAY_MS, start_once)
