"""How the window's start is watched: whether Qt could start at all, and when it painted.

`start_application` creates the QApplication with Qt's messages held back, so that a platform
plugin that cannot be loaded (Qt then ends the process) is reported by the caller in one
line instead of Qt's guess; on a good start the held messages are written as Qt would have.

Start-up benchmark hook: with DAIRY_DESKTOP_EXIT_AFTER_PAINT set, the window reports when
it was first painted (before the database answered) and first painted with the batches
loaded, then quits. Unset, it costs one environment lookup.

The value is `1` (print to stdout) or a file to append the line to (a windowed Windows
executable has no stdout). Times are wall-clock seconds since the epoch, so the benchmark
can subtract the moment it started the process.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    SignalInstance,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

ENV = "DAIRY_DESKTOP_EXIT_AFTER_PAINT"
GIVE_UP_MS = 60_000  # never leave a benchmark hanging on a database that does not answer


def start_application(argv: list[str], platform_failed: Callable[[], None]) -> QApplication:
    """The QApplication, or, if its platform plugin cannot be loaded, `platform_failed()`
    first: it may explain and end the process; if it returns, Qt's own messages are written
    and Qt ends the process as it always does."""
    held: list[str] = []

    def hold(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg and "platform plugin" in message:
            platform_failed()
        # Formatted now: the context is only valid during this call.
        held.append(qFormatLogMessage(kind, context, message))
        if kind == QtMsgType.QtFatalMsg:
            write_to_stderr(held)

    previous = qInstallMessageHandler(hold)
    try:
        app = QApplication(argv)
    finally:
        qInstallMessageHandler(previous)
    write_to_stderr(held)
    return app


def write_to_stderr(lines: list[str]) -> None:
    """As Qt's default handler does, then forgotten."""
    for line in lines:
        print(line, file=sys.stderr, flush=True)
    lines.clear()


def watch_first_paint(window: QWidget, loaded_signal: SignalInstance) -> None:
    """Call with the main window and its "batches loaded" signal before the event loop starts."""
    target = os.environ.get(ENV)
    if not target:
        return
    marks: dict[str, float] = {}
    reported: list[bool] = []

    def report() -> None:
        if reported:
            return
        reported.append(True)
        line = "startup-probe: " + " ".join(
            f"{name}={marks.get(name, float('nan')):.4f}"
            for name in ("window_painted", "data_painted")
        )
        if target == "1":
            print(line, flush=True)
        else:
            with open(target, "a", encoding="utf-8") as file:
                file.write(line + "\n")
        QApplication.quit()

    def painted() -> None:
        # Runs once the paint event has been handled, i.e. the pixels are drawn.
        now = time.time()
        marks.setdefault("window_painted", now)
        if loaded and "data_painted" not in marks:
            marks["data_painted"] = now
            report()

    class PaintWatch(QObject):
        """On the window itself, not the application: an application-wide Python filter
        would run for every event of every widget and, while the worker imports the database
        layer, wait for the GIL each time, slowing the very start it measures. Every repaint
        of the window (the table, or its empty state after loading) paints the window's own
        background in the same pass, and `on_loaded` asks for one."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, painted)
            return False

    loaded: list[bool] = []

    def on_loaded() -> None:
        loaded.append(True)
        window.update()  # make sure a paint follows, even if nothing changed on screen

    window.installEventFilter(PaintWatch(window))
    loaded_signal.connect(on_loaded)
    QTimer.singleShot(GIVE_UP_MS, report)
