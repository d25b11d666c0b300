"""Every submit from the window travels under a request id, and a retry of the same submit
re-sends it: a change whose reply was lost after it landed is not made twice.

The lost reply is simulated by a session that makes the change and then raises
DatabaseUnavailable, as the app sees a connection that dropped right after COMMIT.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.services.actor import Actor
from dairy_desktop.services.register import Registered
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.ui.conftest import OPERATOR

CODE = "SCH-20251204-0001"
LOST = DatabaseUnavailable("Database unavailable (postgresql): server closed the connection.")


@dataclass
class LostReplies(AppSession):
    """Makes each change, then loses the reply of the first `lose` of them (after they
    landed, or before if `land` is False); remembers the request id of every change sent."""

    lose: int = 1
    land: bool = True
    sent: list[str | None] = field(default_factory=list)

    def _sent(self, request_id: str | None) -> None:
        self.sent.append(request_id)
        if self.lose and not self.land:
            self.lose -= 1
            raise LOST

    def _reply(self) -> None:
        if self.lose:
            self.lose -= 1
            raise LOST

    def consume(
        self,
        code: str,
        liters: str | Decimal,
        *,
        order_id: str | None,
        expected_version: int | None,
        request_id: str | None = None,
    ) -> Batch:
        self._sent(request_id)
        batch = super().consume(
            code,
            liters,
            order_id=order_id,
            expected_version=expected_version,
            request_id=request_id,
        )
        self._reply()
        return batch

    def register(
        self,
        *,
        code: str,
        liters: str | Decimal,
        shelf_life_days: int,
        received_at: datetime | None,
        fat_percent: str | None,
        request_id: str | None = None,
        **intake: str | None,
    ) -> Registered:
        self._sent(request_id)
        registered = super().register(
            code=code,
            liters=liters,
            shelf_life_days=shelf_life_days,
            received_at=received_at,
            fat_percent=fat_percent,
            request_id=request_id,
            **intake,
        )
        self._reply()
        return registered

    def delete(
        self,
        code: str,
        reason: str,
        expected_version: int | None = None,
        request_id: str | None = None,
    ) -> Batch:
        self._sent(request_id)
        batch = super().delete(code, reason, expected_version, request_id)
        self._reply()
        return batch


@pytest.fixture
def lossy(database: Database) -> LostReplies:
    return LostReplies(database, OPERATOR)


def _stored(session: AppSession) -> Database:
    assert isinstance(session.database, Database)
    return session.database


def _consume_dialog(qtbot: QtBot, lossy: LostReplies, runner: TaskRunner) -> ConsumeDialog:
    register(_stored(lossy), liters="10")
    dialog = ConsumeDialog(lossy.batch(CODE), lossy, runner)
    qtbot.addWidget(dialog)
    return dialog


def _actions(session: AppSession, code: str = CODE) -> list[AuditAction]:
    return [event.action for event in session.history(code)]


def test_a_consume_retried_after_its_reply_was_lost_is_recorded_once(
    qtbot: QtBot,
    lossy: LostReplies,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Sent as a new change, the retry would meet its own first consume as a version conflict.
    conflicts: list[object] = []

    def refuse_reload(prompt: ConflictPrompt) -> int:
        conflicts.append(prompt)
        return 0

    monkeypatch.setattr(ConflictPrompt, "exec", refuse_reload)
    dialog = _consume_dialog(qtbot, lossy, runner)
    dialog.liters.setText("4")
    dialog.submit_button.click()
    assert "submit again" in dialog.message.text()
    assert dialog.result() != ConsumeDialog.DialogCode.Accepted
    assert lossy.batch(CODE).remaining_ml == 6_000  # it did land

    dialog.submit_button.click()  # the operator retries the same submit

    assert conflicts == []
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    assert lossy.sent[0] is not None
    assert lossy.sent == [lossy.sent[0]] * 2
    assert lossy.batch(CODE).remaining_ml == 6_000  # 10 → 6 L, not 10 → 6 → 2 L
    assert _actions(lossy) == [AuditAction.REGISTER, AuditAction.CONSUME]
    consume_event = lossy.history(CODE)[-1]
    assert consume_event.request_id == lossy.sent[0]
    assert dialog.result_batch is not None
    assert dialog.result_batch.remaining_ml == 6_000


def test_an_edited_form_is_a_new_change_with_a_new_request_id(
    qtbot: QtBot,
    lossy: LostReplies,
    runner: TaskRunner,
) -> None:
    lossy.land = False  # the first submit never reached the database
    dialog = _consume_dialog(qtbot, lossy, runner)
    dialog.liters.setText("4")
    dialog.submit_button.click()
    assert lossy.batch(CODE).remaining_ml == 10_000
    dialog.liters.setText("3")  # the operator changes the amount before sending again
    dialog.submit_button.click()
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    assert len(lossy.sent) == 2
    assert lossy.sent[0] != lossy.sent[1]
    assert lossy.batch(CODE).remaining_ml == 7_000
    assert _actions(lossy) == [AuditAction.REGISTER, AuditAction.CONSUME]


def test_each_successful_submit_has_its_own_request_id(
    qtbot: QtBot,
    lossy: LostReplies,
    runner: TaskRunner,
) -> None:
    lossy.lose = 0
    register(_stored(lossy), liters="10")
    for _ in range(2):
        dialog = ConsumeDialog(lossy.batch(CODE), lossy, runner)
        qtbot.addWidget(dialog)
        dialog.liters.setText("1")
        dialog.submit_button.click()
        assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    assert len(set(lossy.sent)) == 2
    assert lossy.batch(CODE).remaining_ml == 8_000


def test_a_registration_retried_after_its_reply_was_lost_is_not_refused_as_a_duplicate(
    qtbot: QtBot,
    lossy: LostReplies,
    runner: TaskRunner,
) -> None:
    dialog = RegisterDialog(lossy.plant_settings(), lossy, runner)
    qtbot.addWidget(dialog)
    dialog.code.setText(CODE)
    dialog.liters.setText("10")
    dialog.ok_button.click()
    assert dialog.result() != RegisterDialog.DialogCode.Accepted
    dialog.ok_button.click()  # retried: the first result, not "already registered"
    assert dialog.result() == RegisterDialog.DialogCode.Accepted
    assert dialog.registration is not None
    assert dialog.registration.batch.code == CODE
    assert lossy.sent == [lossy.sent[0]] * 2
    assert _actions(lossy) == [AuditAction.REGISTER]


@pytest.fixture
def lossy_window(qtbot: QtBot, database_url: str, runner: TaskRunner) -> Iterator[MainWindow]:
    def open_session(url: str, actor: Actor) -> AppSession:
        opened = AppSession.open(url, actor)
        return LostReplies(opened.database, opened.actor)

    main = MainWindow(database_url, OPERATOR, runner, open_session=open_session)
    qtbot.addWidget(main)
    main.show()
    main.start()
    yield main
    main.close()
    if main.session is not None:
        main.session.close()


def test_a_delete_retried_after_its_reply_was_lost_is_recorded_once(
    lossy_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = lossy_window.session
    assert isinstance(session, LostReplies)
    register(_stored(session))
    lossy_window.reload()
    lossy_window.select_code(CODE)
    questions: list[str] = []

    def retry(_parent: QWidget, _title: str, text: str, *_args: object) -> object:
        questions.append(text)
        return QMessageBox.StandardButton.Retry

    monkeypatch.setattr(QMessageBox, "question", retry)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.reason.setPlainText("failed the acidity test")
        dialog.ok_button.click()

    def opened(dialog: QWidget) -> None:
        lossy_window.dialog_opened.disconnect(opened)
        QTimer.singleShot(0, lambda: confirm(dialog))

    lossy_window.dialog_opened.connect(opened)
    lossy_window.act_delete.trigger()

    assert len(questions) == 1
    assert "recorded once" in questions[0]
    assert warnings == []
    assert session.sent == [session.sent[0]] * 2
    assert _actions(session) == [AuditAction.REGISTER, AuditAction.DELETE]
    assert session.batch(CODE).is_deleted
