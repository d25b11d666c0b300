"""Start the windowed app: window first, database behind it."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from dairy_desktop.config.local_settings import resolve_database_url, resolve_operator
from dairy_desktop.config.package_files import resources_dir
from dairy_desktop.services.actor import make_actor
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.startup_probe import watch_first_paint
from dairy_desktop.ui.tasks import TaskRunner


def run_app(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Dairy Desktop")
    app.setOrganizationName("DairyDesktop")
    app.setWindowIcon(QIcon(str(resources_dir() / "app.svg")))
    runner = TaskRunner()
    window = MainWindow(
        resolve_database_url(args.database_url), make_actor(resolve_operator(args.operator)), runner
    )
    window.show()
    window.start()
    watch_first_paint(
        window, window.loaded
    )  # DAIRY_DESKTOP_EXIT_AFTER_PAINT: start-up benchmark hook
    code = app.exec()
    runner.wait_for_done(5_000)
    return int(code)
