"""A consume on its way to the database cannot be cancelled by closing its dialog."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register

CODE = "SCH-20251204-0001"


class _HeldSession:
    """The session, with each consume held until the test lets it go (a slow link)."""

    def __init__(self, session: AppSession) -> None:
        self._session = session
        self.go = threading.Event()

    def consume(self, *args: object, **kwargs: object) -> object:
        self.go.wait(10)
        return self._session.consume(*args, **kwargs)  # type: ignore[arg-type]


def test_escape_while_a_consume_is_sent_keeps_the_dialog_until_the_answer(
    qtbot: QtBot, session: AppSession
) -> None:
    batch = register(session.database, CODE, liters="80")
    held = _HeldSession(session)
    runner = TaskRunner()  # the real threaded runner: the answer comes later
    dialog = ConsumeDialog(batch, held, runner)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.liters.setText("10")

    dialog.submit()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    dialog.reject()  # as the close button or the scan router's "switch batch" would

    assert closed == []
    assert dialog.isVisible()
    assert "being sent" in dialog.message.text()

    held.go.set()
    qtbot.waitUntil(lambda: closed != [], timeout=10_000)
    assert closed == [ConsumeDialog.DialogCode.Accepted]
    assert session.batch(CODE).remaining_liters == 70
    runner.shutdown()
