"""Every path through the consume dialog, on both databases."""

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTimer

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register

CODE = "SCH-20251204-0001"


@pytest.fixture
def dialog(qtbot, session: AppSession, runner: TaskRunner):  # type: ignore[no-untyped-def]
    register(session.database, liters="100")
    consume = ConsumeDialog(session.batch(CODE), session, runner)
    qtbot.addWidget(consume)
    return consume


def test_title_and_summary_show_the_batch_as_loaded(dialog: ConsumeDialog) -> None:
    assert dialog.windowTitle() == f"Consume — {CODE}"
    assert "100.000 L" in dialog.summary.text()
    assert "Version: 1" in dialog.summary.text()


def test_a_valid_entry_consumes_with_the_loaded_version(
    dialog: ConsumeDialog, session: AppSession
) -> None:
    dialog.liters.setText("12,5")  # decimal comma accepted
    dialog.order.setText("ORDER-20251204-1234")
    assert dialog.submit_button.isEnabled()
    dialog.submit_button.click()
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    batch = session.batch(CODE)
    assert (str(batch.remaining_liters), batch.version) == ("87.500", 2)
    assert session.history(CODE)[-1].order_id == "ORDER-20251204-1234"


@pytest.mark.parametrize(
    ("liters", "order", "reason"),
    [
        ("", "", ""),
        ("abc", "", "not a number"),
        ("0", "", "more than 0"),
        ("-3", "", "more than 0"),
        ("0.0001", "", "3 decimal places"),
        ("100.001", "", "Only 100.000 L remain"),
        ("5", "ORDER-1", "Order id"),
    ],
)
def test_invalid_entries_keep_submit_disabled_with_the_reason(
    dialog: ConsumeDialog, session: AppSession, liters: str, order: str, reason: str
) -> None:
    dialog.liters.setText(liters)
    dialog.order.setText(order)
    assert not dialog.submit_button.isEnabled()
    shown = dialog.liters_error.text() + dialog.order_error.text()
    assert reason in shown
    dialog.submit()  # even forced, nothing is sent
    assert session.batch(CODE).version == 1


def test_all_remaining_fills_the_exact_amount(dialog: ConsumeDialog) -> None:
    dialog.all_button.click()
    assert dialog.liters.text().replace(",", ".") == "100.000"
    assert dialog.submit_button.isEnabled()


def _answer_conflict(dialog: ConsumeDialog, *, reload: bool, seen: list[ConflictPrompt]) -> None:
    def on_prompt(prompt: ConflictPrompt) -> None:
        seen.append(prompt)
        button = prompt.reload_button if reload else prompt.cancel_button
        QTimer.singleShot(0, button.click)

    dialog.conflict_shown.connect(on_prompt)


def test_over_consumption_after_another_pc_took_milk_is_a_conflict_then_a_clear_refusal(
    dialog: ConsumeDialog, other_pc: AppSession, session: AppSession
) -> None:
    other_pc.consume(CODE, "95", order_id=None, expected_version=None)
    prompts: list[ConflictPrompt] = []
    _answer_conflict(dialog, reload=True, seen=prompts)
    dialog.liters.setText("10")
    dialog.submit_button.click()
    assert len(prompts) == 1
    assert dialog.loaded.version == 2  # reloaded
    assert dialog.liters.text() == "10"  # typed entry kept
    assert not dialog.submit_button.isEnabled()
    assert "Only 5.000 L remain" in dialog.liters_error.text()
    assert str(session.batch(CODE).remaining_liters) == "5.000"


def test_a_batch_deleted_elsewhere_shows_the_conflict_then_refuses(
    dialog: ConsumeDialog, other_pc: AppSession, session: AppSession
) -> None:
    other_pc.delete(CODE, "sour")
    prompts: list[ConflictPrompt] = []
    _answer_conflict(dialog, reload=True, seen=prompts)
    dialog.liters.setText("1")
    dialog.submit_button.click()
    assert prompts[0].cell_text(3, 2).startswith("<b>Deleted")
    assert not dialog.message.isHidden()
    assert "was deleted by jonas on OFFICE-PC-2" in dialog.message.text()
    assert not dialog.submit_button.isEnabled()
    dialog.submit()  # even forced past the disabled button, the database refuses it
    assert "is deleted" in dialog.message.text()
    assert dialog.result() != ConsumeDialog.DialogCode.Accepted
    assert session.batch(CODE).remaining_ml == 100_000


def test_an_expired_batch_is_refused_in_the_dialog(
    qtbot, session: AppSession, runner: TaskRunner
) -> None:  # type: ignore[no-untyped-def]
    register(
        session.database,
        "SCH-20251204-0002",
        liters="10",
        days=1,
        received=datetime.now(UTC) - timedelta(days=2),
    )
    dialog = ConsumeDialog(session.batch("SCH-20251204-0002"), session, runner)
    qtbot.addWidget(dialog)
    dialog.liters.setText("1")
    dialog.submit_button.click()
    assert "expired" in dialog.message.text()
    assert len(session.history("SCH-20251204-0002")) == 1


def test_cancel_on_the_conflict_prompt_closes_the_dialog_and_saves_nothing(
    dialog: ConsumeDialog, other_pc: AppSession, session: AppSession
) -> None:
    other_pc.consume(CODE, "1", order_id=None, expected_version=1)
    changed = []
    dialog.batch_changed.connect(changed.append)
    _answer_conflict(dialog, reload=False, seen=[])
    dialog.liters.setText("2")
    dialog.submit_button.click()
    assert dialog.result() == ConsumeDialog.DialogCode.Rejected
    assert [b.version for b in changed] == [2]  # the table still learns the new state
    assert str(session.batch(CODE).remaining_liters) == "99.000"
