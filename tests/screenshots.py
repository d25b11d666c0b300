"""Render the main screens to PNG for a person to look at.

    python -m tests.screenshots [OUTPUT_FOLDER]

Uses a throwaway SQLite database with the sample data; runs offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DAIRY_DESKTOP_HOME", tempfile.mkdtemp(prefix="dairy-shots-"))

from PySide6.QtWidgets import QApplication, QWidget

from dairy_desktop.services.actor import Actor
from dairy_desktop.services.sample_data import load_sample_data
from dairy_desktop.services.session import AppSession


def _save(widget: QWidget, folder: Path, name: str) -> Path:
    widget.show()
    QApplication.processEvents()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))
    return path


def render_all(folder: Path) -> list[Path]:
    from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
    from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
    from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
    from dairy_desktop.ui.main.window import MainWindow
    from dairy_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    assert app is not None
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{(folder / 'screens.sqlite3').as_posix()}"
    actor = Actor("maria", "OFFICE-PC-1")
    session = AppSession.open(url, actor)
    load_sample_data(session.database, actor)
    runner = TaskRunner(synchronous=True)
    window = MainWindow(url, actor, runner)
    window.resize(1400, 720)
    window.start()
    batch = next(r.batch for r in window.model.all_rows() if r.status.value == "near_expiry")
    window.select_code(batch.code)
    paths = [_save(window, folder, "main_window")]

    dialog = ConsumeDialog(batch, session, runner, window)
    dialog.liters.setText("120.5")
    dialog.order.setText("ORDER-20251204-1234")
    paths.append(_save(dialog, folder, "consume_dialog"))
    other = session.consume(batch.code, "50", order_id=None, expected_version=batch.version)
    paths.append(_save(ConflictPrompt(batch, other, window), folder, "conflict_prompt"))
    register = RegisterDialog(window.settings, session, runner, window)
    register.code.setText("sch-2025")
    register.liters.setText("4200,5")
    paths.append(_save(register, folder, "register_dialog"))
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


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="shots-"))
    for path in render_all(target):
        print(path)
