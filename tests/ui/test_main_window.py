"""The main window: loading, actions, dialogs, empty state, titles and shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.reason_dialog import ReasonDialog
from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.main.batch_rows import StatusFilter
from dairy_desktop.ui.main.window import MainWindow
from tests.integration.helpers import register

CODE = "SCH-20251204-0001"


def when_dialog_opens(window: MainWindow, act) -> None:  # type: ignore[no-untyped-def]
    """Drive the next modal dialog from inside its own event loop."""

    def opened(dialog: QWidget) -> None:
        window.dialog_opened.disconnect(opened)
        QTimer.singleShot(0, lambda: act_or_close(dialog))

    def act_or_close(dialog: QWidget) -> None:
        try:
            act(dialog)
        except BaseException:
            dialog.close()  # a failed check must fail the test, not leave exec() waiting
            raise

    window.dialog_opened.connect(opened)


def test_the_title_names_the_plant(window: MainWindow, other_pc: AppSession) -> None:
    other_pc.update_plant_settings(
        PlantSettings(plant_name="Riverside Dairy", qa_release_required=False)
    )
    window.reload()
    assert window.windowTitle() == "Dairy Desktop — Riverside Dairy"


def test_an_empty_database_shows_the_empty_state_and_sample_data_fills_every_status(
    window: MainWindow,
) -> None:
    assert window.stack.currentWidget() is window.empty
    window.empty.sample_button.click()
    assert window.stack.currentWidget() is window.table
    statuses = {row.status.value for row in window.model.all_rows()}
    assert statuses == {"expired", "expires_today", "near_expiry", "fresh", "empty", "deleted"}
    assert "Available:" in window.summary.text()


def test_register_through_the_dialog_selects_the_new_batch(window: MainWindow) -> None:
    def fill(dialog: RegisterDialog) -> None:
        assert dialog.windowTitle() == "Register delivery"
        dialog.code.setText(CODE)
        dialog.liters.setText("4200.5")
        dialog.fat.setText("3.8")
        dialog.ok_button.click()

    when_dialog_opens(window, fill)
    window.act_register.trigger()
    assert window.selected_code() == CODE
    assert window.session is not None
    assert str(window.session.batch(CODE).remaining_liters) == "4200.500"


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("code", "sch-1", "does not match"),
        ("code", "", "missing"),
        ("liters", "0", "more than 0"),
        ("liters", "1.2345", "3 decimal places"),
        ("fat", "101", "between 0 and 100"),
    ],
)
def test_register_dialog_shows_the_reason_beside_each_bad_field(
    qtbot,
    window: MainWindow,
    field: str,
    text: str,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    assert window.session is not None
    dialog = RegisterDialog(window.settings, window.session, window.runner)
    qtbot.addWidget(dialog)
    dialog.code.setText(CODE)
    dialog.liters.setText("10")
    getattr(dialog, field).setText(text)
    dialog.ok_button.click()
    assert dialog.result() != RegisterDialog.DialogCode.Accepted
    assert reason in dialog.errors[field].text()
    assert not dialog.errors[field].isHidden()


def test_a_received_time_in_the_future_is_refused(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    assert window.session is not None
    dialog = RegisterDialog(window.settings, window.session, window.runner)
    qtbot.addWidget(dialog)
    dialog.code.setText(CODE)
    dialog.liters.setText("10")
    dialog.prefill(received=datetime.now(UTC) + timedelta(hours=2))
    dialog.ok_button.click()
    assert "future" in dialog.errors["received"].text()
    assert dialog.result() != RegisterDialog.DialogCode.Accepted
    assert len(window.session.history(CODE)) == 0


def test_a_duplicate_code_is_refused_naming_the_existing_batch(
    qtbot,
    window: MainWindow,  # type: ignore[no-untyped-def]
) -> None:
    assert window.session is not None
    register(window.session.database, liters="700")
    dialog = RegisterDialog(window.settings, window.session, window.runner)
    qtbot.addWidget(dialog)
    dialog.code.setText(CODE)
    dialog.liters.setText("10")
    dialog.ok_button.click()
    assert "already registered" in dialog.message.text()
    assert "700.000 L" in dialog.message.text()
    assert dialog.result() != RegisterDialog.DialogCode.Accepted
    assert len(window.session.history(CODE)) == 1


def test_delete_asks_for_a_reason_and_restore_brings_it_back(window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database)
    window.reload()
    window.select_code(CODE)

    def confirm(reason: str):  # type: ignore[no-untyped-def]
        def act(dialog: ReasonDialog) -> None:
            dialog.ok_button.click()  # no reason yet: says so and stays open
            assert dialog.isVisible()
            assert not dialog.problem.isHidden()
            dialog.reason.setPlainText(reason)
            dialog.ok_button.click()

        return act

    when_dialog_opens(window, confirm("sour on inspection"))
    window.act_delete.trigger()
    assert window.model.row_of(CODE) is None  # hidden unless deleted are shown
    window.filters.set_status_filter(StatusFilter.DELETED)
    assert window.select_code(CODE)
    assert window.act_restore.isEnabled()
    when_dialog_opens(window, confirm("deleted by mistake"))
    window.act_restore.trigger()
    events = window.session.history(CODE)
    assert [(e.action, e.reason) for e in events[1:]] == [
        (AuditAction.DELETE, "sour on inspection"),
        (AuditAction.RESTORE, "deleted by mistake"),
    ]


def test_cancelling_delete_changes_nothing(window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database)
    window.reload()
    window.select_code(CODE)
    when_dialog_opens(window, lambda dialog: dialog.reject())
    window.act_delete.trigger()
    assert window.session.batch(CODE).version == 1


def test_search_filters_by_code_and_by_order(window: MainWindow) -> None:
    assert window.session is not None
    register(window.session.database, CODE)
    register(window.session.database, "SCH-20251204-0002")
    window.session.consume(
        "SCH-20251204-0002", "1", order_id="ORDER-20251204-7777", expected_version=None
    )
    window.reload()
    window.filters.search.setText("0001")
    assert window.model.rowCount() == 1
    window.filters.search.setText("ORDER-20251204-77")
    window.search_orders()
    assert [window.model.batch_at(r).code for r in range(window.model.rowCount())] == [  # type: ignore[union-attr]
        "SCH-20251204-0002"
    ]


def test_another_pcs_change_appears_on_the_next_poll_keeping_the_selection(
    window: MainWindow, other_pc: AppSession
) -> None:
    register(other_pc.database, CODE)
    register(other_pc.database, "SCH-20251204-0002")
    window.reload()
    window.select_code("SCH-20251204-0002")
    other_pc.consume(CODE, "10", order_id=None, expected_version=None)
    register(other_pc.database, "SCH-20251204-0003")
    window.poll()
    assert window.model.batch_at(window.model.row_of(CODE) or 0).version == 2  # type: ignore[union-attr]
    assert window.model.row_of("SCH-20251204-0003") is not None
    assert window.selected_code() == "SCH-20251204-0002"


def test_every_action_has_a_menu_entry_and_a_shortcut(window: MainWindow) -> None:
    menu_actions = {a for menu in window.menuBar().actions() for a in menu.menu().actions()}
    for action in (
        window.act_register,
        window.act_consume,
        window.act_delete,
        window.act_restore,
        window.act_refresh,
        window.act_audit,
        window.act_settings,
        window.act_find,
        window.act_quit,
    ):
        assert action in menu_actions
        assert not action.shortcut().isEmpty(), action.text()


def test_switching_database_shows_only_the_new_ones_batches(
    window: MainWindow,
    sqlite_factory,  # type: ignore[no-untyped-def]
) -> None:
    assert window.session is not None
    register(window.session.database, CODE)
    window.reload()
    other_url = sqlite_factory.new_url()
    other = AppSession.open(other_url, window.session.actor)
    register(other.database, "SCH-20251204-0777")
    window.switch_database(other_url)
    window.poll()
    assert [r.batch.code for r in window.model.all_rows()] == ["SCH-20251204-0777"]
    other_file = other_url.removeprefix("sqlite:///")
    assert window.connection.text().startswith("SQLite file ")
    assert window.connection.text().endswith(other_file.rsplit("/", 1)[-1])
    assert window.connection.toolTip() == other_file
    other.close()
    sqlite_factory.drop(other_url)
