"""Consume for order…: the proposal, the edited split, the FEFO warning, a plan that no
longer holds, numbers in the operator's locale, Enter and Escape; on both databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.reservations import reserve_once
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.orders.order_calls import SessionOrderCalls
from dairy_desktop.ui.orders.order_consume_dialog import OrderConsumeDialog
from dairy_desktop.ui.orders.split_model import COL_CODE, COL_TAKE
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.orders_stock import (
    ORDER,
    OTHER_ORDER,
    actor,
    batch_expiring,
    code,
    now,
    state,
)
from tests.support.locales import default_locale

Opened = Callable[[], OrderConsumeDialog]


def _stored(session: AppSession) -> Database:
    assert isinstance(session.database, Database)
    return session.database


@pytest.fixture
def stock(session: AppSession) -> Database:
    """Three batches: 40 L expiring first, then 50 L, then 100 L."""
    database, start = _stored(session), now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 2, "50", start=start, expires_in_days=2)
    batch_expiring(database, 3, "100", start=start, expires_in_days=3)
    return database


@pytest.fixture
def opened(qtbot: QtBot, session: AppSession, runner: TaskRunner) -> Opened:
    """A dialog on screen with focus; the proposal is fetched as soon as typing stops."""

    def open_dialog() -> OrderConsumeDialog:
        dialog = OrderConsumeDialog(SessionOrderCalls(session), runner, delay_ms=0)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog

    return open_dialog


def _enter(qtbot: QtBot, dialog: OrderConsumeDialog, order: str, liters: str) -> None:
    """Type the order and the litres as the operator does, and wait for the proposal."""
    with qtbot.waitSignal(dialog.proposal_shown, timeout=5_000):
        dialog.order.setFocus()
        qtbot.keyClicks(dialog.order, order)
        dialog.liters.setFocus()
        qtbot.keyClicks(dialog.liters, liters)


def _split(dialog: OrderConsumeDialog) -> list[tuple[str, str]]:
    model = dialog.split
    return [
        (model.index(r, COL_CODE).data(), model.index(r, COL_TAKE).data())
        for r in range(model.rowCount(QModelIndex()))
    ]


def _consumes(database: Database) -> list[tuple[str, str, str | None]]:
    events = list_audit(database, AuditFilter(action=AuditAction.CONSUME))
    return sorted((e.batch_code, str(e.liters), e.order_id) for e in events)


def test_the_proposal_is_shown_first_expiring_first_and_consumed_as_shown(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "120.5")
    assert _split(dialog) == [(code(1), "40.000"), (code(2), "50.000"), (code(3), "30.500")]
    expires = dialog.split.index(0, 1).data()
    assert expires.count(":") == 1
    assert expires.startswith("20")
    assert "120.500 L from 3 batches" in dialog.proposal_note.text()
    assert dialog.submit_button.isEnabled()
    assert dialog.fefo_warning.isHidden()  # FEFO's own plan is never warned about
    dialog.submit_button.click()
    assert dialog.result() == OrderConsumeDialog.DialogCode.Accepted
    assert _consumes(stock) == [
        (code(1), "40.000", ORDER),
        (code(2), "50.000", ORDER),
        (code(3), "30.500", ORDER),
    ]


def test_an_edited_split_is_sent_as_edited_one_event_per_batch_under_one_request(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "60")
    assert _split(dialog) == [(code(1), "40.000"), (code(2), "20.000")]
    dialog.split.setData(dialog.split.index(0, COL_TAKE), "10")
    assert not dialog.submit_button.isEnabled()
    assert "adds up to 30.000 L but the order asks for 60.000 L" in dialog.split_status.text()
    assert dialog.add_batch(code(3)) == f"batch {code(3)}: added to the split"
    assert _split(dialog)[-1] == (code(3), "30.000")  # what was missing
    assert dialog.submit_button.isEnabled()
    changed: list[object] = []
    dialog.batches_changed.connect(changed.append)
    dialog.submit_button.click()
    assert dialog.result() == OrderConsumeDialog.DialogCode.Accepted
    events = list_audit(stock, AuditFilter(action=AuditAction.CONSUME))
    assert sorted((e.batch_code, str(e.liters), e.order_id) for e in events) == [
        (code(1), "10.000", ORDER),
        (code(2), "20.000", ORDER),
        (code(3), "30.000", ORDER),
    ]
    assert len({e.correlation_id for e in events}) == 1
    assert sorted(e.request_id.rsplit(":", 1)[1] for e in events) == ["1", "2", "3"]
    assert len(changed) == 1
    assert len(changed[0]) == 3


def test_a_later_batch_chosen_while_an_earlier_one_has_enough_is_warned_about(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "30")
    assert _split(dialog) == [(code(1), "30.000")]
    assert dialog.fefo_warning.isHidden()
    dialog.split.remove(0)
    dialog.add_batch(code(3))
    assert not dialog.fefo_warning.isHidden()
    warning = dialog.fefo_warning.text()
    assert f"batch {code(1)} expires earlier" in warning
    assert "alone has 40.000 L available" in warning
    assert f"taking 30.000 L from {code(3)}" in warning
    dialog.submit_button.click()  # a warning, not a refusal
    assert _consumes(stock) == [(code(3), "30.000", ORDER)]


def test_a_batch_changed_under_the_dialog_writes_nothing_and_the_new_proposal_is_shown(
    qtbot: QtBot, opened: Opened, stock: Database, other_pc: AppSession
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "60")
    other_pc.consume(code(1), "35", order_id=None, expected_version=None)
    before = state(stock)
    with qtbot.waitSignal(dialog.proposal_shown, timeout=5_000):
        dialog.submit_button.click()
    assert dialog.isVisible()
    assert dialog.result() != OrderConsumeDialog.DialogCode.Accepted
    assert state(stock) == before  # nothing written
    message = dialog.message.text()
    assert f"Nothing was consumed for {ORDER}" in message
    assert "check it and send it again" in message
    assert not dialog.message.isHidden()
    assert _split(dialog) == [(code(1), "5.000"), (code(2), "50.000"), (code(3), "5.000")]
    dialog.submit_button.click()  # the new plan, checked and sent
    assert dialog.result() == OrderConsumeDialog.DialogCode.Accepted
    assert [c for c in _consumes(stock) if c[2] == ORDER] == [
        (code(1), "5.000", ORDER),
        (code(2), "50.000", ORDER),
        (code(3), "5.000", ORDER),
    ]


def test_a_batch_held_under_the_dialog_is_refused_and_the_plan_goes_round_it(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "30")
    hold_once(stock, code(1), reason="antibiotics suspected", actor=actor())
    before = state(stock)
    with qtbot.waitSignal(dialog.proposal_shown, timeout=5_000):
        dialog.submit_button.click()
    assert state(stock) == before
    assert "on hold" in dialog.message.text()
    assert _split(dialog) == [(code(2), "30.000")]
    dialog.split.setData(dialog.split.index(0, COL_TAKE), "29")  # the operator edits on
    assert dialog.message.isHidden()  # the refusal was about the plan before


def test_short_stock_says_by_how_much_and_cannot_be_consumed(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "200")
    assert "Short by 10.000 L" in dialog.proposal_note.text()
    assert "190.000 L of the 200.000 L" in dialog.proposal_note.text()
    assert not dialog.submit_button.isEnabled()
    before = state(stock)
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)  # says why instead of doing nothing
    assert "take 10.000 L more" in dialog.message.text()
    assert dialog.isVisible()
    assert state(stock) == before


def test_another_orders_reserved_litres_are_not_proposed(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    reserve_once(
        stock, code(1), "30", order_id=OTHER_ORDER, planned_for=now().date(), actor=actor()
    )
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "20")
    assert _split(dialog) == [(code(1), "10.000"), (code(2), "10.000")]
    assert dialog.split.index(0, 2).data() == "10.000"  # available to this order


# the keyboard, and numbers as the operator's locale writes them


@pytest.fixture
def en_us() -> Iterator[None]:
    yield from default_locale("en_US")


@pytest.fixture
def de_de() -> Iterator[None]:
    yield from default_locale("de_DE")


@pytest.fixture
def big_stock(session: AppSession) -> Database:
    database, start = _stored(session), now()
    batch_expiring(database, 1, "600", start=start, expires_in_days=1)
    batch_expiring(database, 2, "700", start=start, expires_in_days=2)
    return database


def _type_in_cell(qtbot: QtBot, dialog: OrderConsumeDialog, row: int, text: str) -> None:
    """Type over a line's litres: the first key opens the editor, Enter commits it."""
    table = dialog.table
    table.setFocus()
    table.setCurrentIndex(dialog.split.index(row, COL_TAKE))
    qtbot.keyClick(table, text[0])
    editor = QApplication.focusWidget()
    assert editor is not table
    assert editor is not None
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)  # committed (queued)


def test_1_000_typed_in_en_us_is_one_thousand_litres_and_enter_consumes_it(
    qtbot: QtBot, en_us: None, opened: Opened, big_stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "1,000")
    assert dialog.liters_reading.text() == "= 1,000.000 L"
    assert _split(dialog) == [(code(1), "600.000"), (code(2), "400.000")]
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert dialog.result() == OrderConsumeDialog.DialogCode.Accepted
    assert _consumes(big_stock) == [(code(1), "600.000", ORDER), (code(2), "400.000", ORDER)]


def test_1_000_typed_in_de_de_is_one_thousand_and_a_line_is_edited_in_the_table(
    qtbot: QtBot, de_de: None, opened: Opened, big_stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "1.000")
    assert dialog.liters_reading.text() == "= 1.000,000 L"
    assert _split(dialog) == [(code(1), "600,000"), (code(2), "400,000")]
    _type_in_cell(qtbot, dialog, 0, "599,5")
    _type_in_cell(qtbot, dialog, 1, "400,5")
    assert _split(dialog) == [(code(1), "599,500"), (code(2), "400,500")]
    assert dialog.submit_button.isEnabled()
    dialog.liters.setFocus()
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Enter)
    assert _consumes(big_stock) == [(code(1), "599.500", ORDER), (code(2), "400.500", ORDER)]


def test_a_point_in_de_de_litres_is_refused_with_the_reason_not_misread(
    qtbot: QtBot, de_de: None, opened: Opened, big_stock: Database
) -> None:
    dialog = opened()
    dialog.order.setText(ORDER)
    dialog.liters.setFocus()
    qtbot.keyClicks(dialog.liters, "1.5")
    assert "the decimal point is ','" in dialog.liters_error.text()
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert _consumes(big_stock) == []


def test_enter_before_the_proposal_came_fetches_it_and_asks_to_check_first(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, stock: Database
) -> None:
    dialog = OrderConsumeDialog(SessionOrderCalls(session), runner, delay_ms=60_000)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.order.setText(ORDER)
    dialog.liters.setText("10")
    assert "Waiting for the proposed batches" in dialog.split_status.text()
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.proposal_note.text().endswith(
        "Check the batches, then press Consume (Enter) again."
    )
    assert dialog.message.isHidden()  # a note, not a refusal
    assert _split(dialog) == [(code(1), "10.000")]
    assert _consumes(stock) == []
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert dialog.result() == OrderConsumeDialog.DialogCode.Accepted
    assert _consumes(stock) == [(code(1), "10.000", ORDER)]


def test_escape_cancels_and_writes_nothing(qtbot: QtBot, opened: Opened, stock: Database) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "10")
    before = state(stock)
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Escape)
    assert dialog.result() == OrderConsumeDialog.DialogCode.Rejected
    assert state(stock) == before


def test_a_bad_order_is_said_beside_the_field_and_nothing_is_proposed(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    qtbot.keyClicks(dialog.order, "ORDER-1")
    dialog.liters.setText("10")
    qtbot.keyClick(dialog.liters, Qt.Key.Key_Return)
    assert "Order id" in dialog.order_error.text()
    assert QApplication.focusWidget() is dialog.order
    assert _split(dialog) == []
    assert _consumes(stock) == []


def test_enter_in_a_line_being_edited_ends_the_edit_and_consumes_nothing(
    qtbot: QtBot, opened: Opened, stock: Database
) -> None:
    dialog = opened()
    _enter(qtbot, dialog, ORDER, "60")
    assert dialog.submit_button.isEnabled()  # the proposal may be sent as it is
    _type_in_cell(qtbot, dialog, 0, "10")  # Enter here must not send the line's old 40 L
    assert dialog.isVisible()
    assert _consumes(stock) == []
    assert _split(dialog)[0] == (code(1), "10.000")
    assert not dialog.submit_button.isEnabled()
