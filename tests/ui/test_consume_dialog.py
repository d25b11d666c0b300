"""Every path through the consume dialog, on both databases."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register
from tests.support.locales import default_locale

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
    dialog.liters.setText("12.5")
    dialog.order.setText("ORDER-20251204-1234")
    assert dialog.problems() == {}
    dialog.submit_button.click()
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    batch = session.batch(CODE)
    assert (str(batch.remaining_liters), batch.version) == ("87.500", 2)
    assert session.history(CODE)[-1].order_id == "ORDER-20251204-1234"


@pytest.mark.parametrize(
    ("liters", "order", "reason"),
    [
        ("", "", "Enter the litres to consume"),
        ("abc", "", "'a' is not part of a number"),
        ("12,5", "", "the decimal point is '.'"),
        ("0", "", "more than 0"),
        ("-3", "", "more than 0"),
        ("0.0001", "", "3 decimal places"),
        ("100.001", "", "Only 100.000 L remain"),
        ("5", "ORDER-1", "Order id"),
    ],
)
def test_submitting_an_invalid_entry_shows_the_reason_and_sends_nothing(
    dialog: ConsumeDialog, session: AppSession, liters: str, order: str, reason: str
) -> None:
    dialog.liters.setText(liters)
    dialog.order.setText(order)
    assert dialog.submit_button.isEnabled()  # never greyed out: pressing it says why
    dialog.submit_button.click()
    shown = dialog.liters_error.text() + dialog.order_error.text()
    assert reason in shown
    assert dialog.result() != ConsumeDialog.DialogCode.Accepted
    assert session.batch(CODE).version == 1


def test_all_remaining_fills_the_exact_amount(dialog: ConsumeDialog) -> None:
    dialog.all_button.click()
    assert dialog.liters.text().replace(",", ".") == "100.000"
    assert dialog.problems() == {}


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
    assert "Only 5.000 L remain" in dialog.liters_error.text()
    assert not dialog.liters_error.isHidden()
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
    dialog.submit_button.click()  # sent again: the database refuses it
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


# real keys: Enter submits, Escape cancels, numbers as the operator's locale writes them


@pytest.fixture
def en_us() -> Iterator[None]:
    yield from default_locale("en_US")


@pytest.fixture
def de_de() -> Iterator[None]:
    yield from default_locale("de_DE")


@pytest.fixture
def shown(qtbot, session: AppSession, runner: TaskRunner):  # type: ignore[no-untyped-def]
    """A consume dialog on screen, with focus, for a batch of 4,539.5 L."""
    register(session.database, liters="4539.5")

    def open_dialog() -> ConsumeDialog:
        consume = ConsumeDialog(session.batch(CODE), session, runner)
        qtbot.addWidget(consume)
        consume.show()
        qtbot.waitExposed(consume)
        consume.activateWindow()
        qtbot.waitUntil(consume.isActiveWindow)
        consume.liters.setFocus()
        return consume

    return open_dialog


def test_typed_1_000_in_en_us_consumes_one_thousand_litres(
    qtbot,  # type: ignore[no-untyped-def]
    en_us: None,
    shown,  # type: ignore[no-untyped-def]
    session: AppSession,
) -> None:
    dialog = shown()
    assert "4,539.500 L" in dialog.summary.text()
    qtbot.keyClicks(dialog.liters, "1,000")
    assert dialog.liters_reading.text() == "= 1,000.000 L"
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    assert str(session.batch(CODE).remaining_liters) == "3539.500"


def test_typed_1_000_comma_5_in_de_de_consumes_one_thousand_and_a_half(
    qtbot,  # type: ignore[no-untyped-def]
    de_de: None,
    shown,  # type: ignore[no-untyped-def]
    session: AppSession,
) -> None:
    dialog = shown()
    assert "4.539,500 L" in dialog.summary.text()
    qtbot.keyClicks(dialog.liters, "1.000,5")
    assert dialog.liters_reading.text() == "= 1.000,500 L"
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Enter)
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    assert str(session.batch(CODE).remaining_liters) == "3539.000"


def test_an_english_decimal_point_in_de_de_is_refused_not_misread(
    qtbot,  # type: ignore[no-untyped-def]
    de_de: None,
    shown,  # type: ignore[no-untyped-def]
    session: AppSession,
) -> None:
    dialog = shown()
    qtbot.keyClicks(dialog.liters, "1.5")
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert "the decimal point is ','" in dialog.liters_error.text()
    assert dialog.isVisible()
    assert session.batch(CODE).version == 1


def test_nothing_is_red_until_typed_and_enter_on_empty_says_why(
    qtbot,  # type: ignore[no-untyped-def]
    shown,  # type: ignore[no-untyped-def]
    session: AppSession,
) -> None:
    dialog = shown()
    assert dialog.liters_error.isHidden()
    assert dialog.order_error.isHidden()
    assert dialog.submit_button.isDefault()
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "Enter the litres to consume" in dialog.liters_error.text()
    assert not dialog.liters_error.isHidden()
    assert QApplication.focusWidget() is dialog.liters
    assert session.batch(CODE).version == 1


def test_enter_with_a_bad_order_focuses_the_order_field(
    qtbot,  # type: ignore[no-untyped-def]
    shown,  # type: ignore[no-untyped-def]
    session: AppSession,
) -> None:
    dialog = shown()
    qtbot.keyClicks(dialog.liters, "5")
    dialog.order.setFocus()
    qtbot.keyClicks(dialog.order, "ORDER-1")
    qtbot.keyClick(dialog.order, Qt.Key.Key_Return)
    assert "Order id" in dialog.order_error.text()
    assert QApplication.focusWidget() is dialog.order
    assert session.batch(CODE).version == 1


def test_escape_cancels_and_all_remaining_does_not_take_enter(
    qtbot,  # type: ignore[no-untyped-def]
    shown,  # type: ignore[no-untyped-def]
    session: AppSession,
) -> None:
    dialog = shown()
    dialog.all_button.setFocus()
    assert dialog.submit_button.isDefault()
    assert not dialog.all_button.isDefault()
    dialog.liters.setFocus()
    qtbot.keyClicks(dialog.liters, "2")
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Escape)
    assert dialog.result() == ConsumeDialog.DialogCode.Rejected
    assert session.batch(CODE).version == 1


def test_a_dialog_opened_by_a_scan_names_the_scanned_code(shown) -> None:  # type: ignore[no-untyped-def]
    dialog = shown()
    assert dialog.scanned_banner.isHidden()
    dialog.show_opened_by_scan(CODE)
    assert not dialog.scanned_banner.isHidden()
    assert dialog.scanned_banner.text() == f"Scanned: {CODE}"
    assert dialog.scanned_banner.font().bold()
    assert dialog.scanned_banner.font().pointSizeF() > dialog.summary.font().pointSizeF()


def test_a_long_reason_is_shown_in_full_and_the_dialog_shrinks_back_once_it_is_gone(
    qtbot,  # type: ignore[no-untyped-def]
    en_us: None,
    shown,  # type: ignore[no-untyped-def]
) -> None:
    dialog = shown()
    height_before = dialog.height()
    qtbot.keyClicks(dialog.liters, "1,00")
    label = dialog.liters_error
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert dialog.height() > height_before
    assert label.geometry().bottom() < dialog.height()
    dialog.liters.clear()
    dialog.liters.setText("5")
    qtbot.waitUntil(lambda: dialog.height() == height_before)
