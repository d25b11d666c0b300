"""The single-batch consume dialog's FEFO warning and its respect for other orders'
reservations, on both databases."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.reservations import reserve_once
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
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


@pytest.fixture
def stock(session: AppSession) -> Database:
    """40 L expiring first, then 100 L two days later."""
    assert isinstance(session.database, Database)
    database, start = session.database, now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 3, "100", start=start, expires_in_days=3)
    return database


def _dialog(qtbot: QtBot, session: AppSession, runner: TaskRunner, number: int) -> ConsumeDialog:
    dialog = ConsumeDialog(session.batch(code(number)), session, runner)
    qtbot.addWidget(dialog)
    return dialog


def test_taking_from_a_later_batch_while_an_earlier_one_alone_has_enough_is_warned(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, stock: Database
) -> None:
    dialog = _dialog(qtbot, session, runner, 3)
    dialog.liters.setText("30")
    assert not dialog.fefo_warning.isHidden()
    assert f"batch {code(1)} expires earlier" in dialog.fefo_warning.text()
    assert "alone has 40.000 L available" in dialog.fefo_warning.text()
    dialog.liters.setText("50")  # more than the earlier batch has: FEFO would go on here
    assert dialog.fefo_warning.isHidden()
    dialog.liters.setText("30")
    dialog.submit_button.click()  # a warning, not a refusal
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    assert str(session.batch(code(3)).remaining_liters) == "70.000"


def test_the_first_expiring_batch_and_a_held_earlier_one_get_no_warning(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, stock: Database
) -> None:
    first = _dialog(qtbot, session, runner, 1)
    first.liters.setText("30")
    assert first.fefo_warning.isHidden()
    hold_once(stock, code(1), reason="sample lost", actor=actor())
    later = _dialog(qtbot, session, runner, 3)
    later.liters.setText("30")
    assert later.fefo_warning.isHidden()  # the held batch may not be used: no advice to


def test_other_orders_reserved_litres_are_shown_and_cannot_be_taken(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, stock: Database
) -> None:
    reserve_once(
        stock, code(3), "60", order_id=OTHER_ORDER, planned_for=now().date(), actor=actor()
    )
    dialog = _dialog(qtbot, session, runner, 3)
    assert not dialog.reserved_note.isHidden()
    assert dialog.reserved_note.text() == (
        f"60.000 L reserved for {OTHER_ORDER}: 40.000 L available to this order."
    )
    dialog.order.setText(ORDER)
    dialog.refresh_for_order()
    dialog.liters.setText("50")
    before = state(stock)
    dialog.submit_button.click()
    assert dialog.liters_error.text() == (
        f"Only 40.000 L of this batch are available: 60.000 L reserved for {OTHER_ORDER}."
    )
    assert dialog.result() != ConsumeDialog.DialogCode.Accepted
    assert state(stock) == before


def test_the_order_that_reserved_the_litres_may_take_them(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, stock: Database
) -> None:
    reserve_once(
        stock, code(3), "60", order_id=OTHER_ORDER, planned_for=now().date(), actor=actor()
    )
    dialog = _dialog(qtbot, session, runner, 3)
    dialog.order.setText(OTHER_ORDER)
    dialog.refresh_for_order()
    assert dialog.reserved_note.isHidden()
    dialog.liters.setText("90")
    assert dialog.problems() == {}
    dialog.submit_button.click()
    assert dialog.result() == ConsumeDialog.DialogCode.Accepted
    batch = session.batch(code(3))
    assert (str(batch.remaining_liters), batch.reserved_ml) == ("10.000", 0)


def test_the_order_typed_is_read_again_once_typing_pauses(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, stock: Database
) -> None:
    reserve_once(
        stock, code(3), "60", order_id=OTHER_ORDER, planned_for=now().date(), actor=actor()
    )
    dialog = _dialog(qtbot, session, runner, 3)
    assert not dialog.reserved_note.isHidden()
    dialog.order.setText(OTHER_ORDER)
    qtbot.waitUntil(dialog.reserved_note.isHidden, timeout=2_000)
