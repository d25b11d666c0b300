"""View → Reservations…: the list with the risk each reservation runs, Reserve for order…
with its FEFO proposal, and Unreserve order after a confirm; on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QModelIndex, QTimer
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.services.holds import hold_once
from dairy_desktop.services.reservations import list_reservations, reserve_once
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.orders.order_calls import SessionOrderCalls
from dairy_desktop.ui.orders.reservations_model import COL_BATCH, COL_ORDER, COL_RISK
from dairy_desktop.ui.orders.reservations_window import ReservationsWindow
from dairy_desktop.ui.orders.reserve_dialog import ReserveDialog
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

UTC_ZONE = ZoneInfo("UTC")


@pytest.fixture
def stock(session: AppSession) -> Database:
    """40 L expiring in a day, 100 L in three days."""
    assert isinstance(session.database, Database)
    database, start = session.database, now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 3, "100", start=start, expires_in_days=3)
    return database


@pytest.fixture
def opened(qtbot: QtBot, session: AppSession, runner: TaskRunner):  # type: ignore[no-untyped-def]
    def open_window(applied: list[Batch] | None = None) -> ReservationsWindow:
        window = ReservationsWindow(
            SessionOrderCalls(session),
            runner,
            session.plant_settings().zone,
            apply_changes=applied.extend if applied is not None else None,
        )
        qtbot.addWidget(window)
        window.show()
        return window

    return open_window


def _rows(window: ReservationsWindow) -> list[tuple[str, str, str]]:
    model = window.model
    return [
        (
            model.index(r, COL_ORDER).data(),
            model.index(r, COL_BATCH).data(),
            model.index(r, COL_RISK).data(),
        )
        for r in range(model.rowCount(QModelIndex()))
    ]


def _in_dialog(window: ReservationsWindow, act: Callable[[ReserveDialog], None]) -> None:
    def opened(dialog: ReserveDialog) -> None:
        window.dialog_opened.disconnect(opened)

        def guarded() -> None:
            try:
                act(dialog)
            except BaseException:
                dialog.reject()
                raise

        QTimer.singleShot(0, guarded)

    window.dialog_opened.connect(opened)


def test_the_list_says_which_reservations_are_at_risk_and_why(
    opened,  # type: ignore[no-untyped-def]
    stock: Database,
) -> None:
    later = now().date() + timedelta(days=2)  # the first batch is gone by then
    reserve_once(stock, code(1), "10", order_id=ORDER, planned_for=now().date(), actor=actor())
    reserve_once(stock, code(3), "20", order_id=OTHER_ORDER, planned_for=later, actor=actor())
    reserve_once(stock, code(1), "5", order_id=OTHER_ORDER, planned_for=later, actor=actor())
    window = opened()
    rows = _rows(window)
    assert sorted(rows)[0] == (ORDER, code(1), "—")
    risky = {row[:2]: row[2] for row in rows if row[2] != "—"}
    assert list(risky) == [(OTHER_ORDER, code(1))]
    assert risky[(OTHER_ORDER, code(1))].startswith("AT RISK: expires ")
    assert f"before {later} is over" in risky[(OTHER_ORDER, code(1))]
    assert window.summary.text() == ("3 reservations for 2 orders, 35.000 L  |  AT RISK: 1")
    hold_once(stock, code(3), reason="sediment", actor=actor())
    window.reload()
    assert (OTHER_ORDER, code(3), "AT RISK: is on hold") in _rows(window)


def test_reserve_for_order_shows_the_fefo_proposal_then_reserves_it(
    qtbot: QtBot,
    opened,  # type: ignore[no-untyped-def]
    stock: Database,
) -> None:
    applied: list[Batch] = []
    window = opened(applied)
    assert window.summary.text().startswith("No litres are reserved")
    shown: list[str] = []
    tomorrow = now().date() + timedelta(days=1)

    def fill(dialog: ReserveDialog) -> None:
        dialog.order.setText(ORDER)
        dialog.liters.setText("50")
        dialog.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        dialog.refresh_proposal()
        shown.append(dialog.proposal.text())
        dialog.submit_button.click()

    _in_dialog(window, fill)
    window.open_reserve()
    # The 40 L batch expires before tomorrow is over: FEFO passes over it.
    assert len(shown) == 1
    assert shown[0].startswith(f"{code(3)}: 50.000 L (expires ")
    assert [(r.order_id, r.batch_code, r.reserved_ml) for r in list_reservations(stock)] == [
        (ORDER, code(3), 50_000)
    ]
    assert _rows(window) == [(ORDER, code(3), "—")]
    assert [b.code for b in applied] == [code(3)]
    assert window.statusBar().currentMessage() == (
        f"{ORDER}: 50.000 L reserved for {tomorrow} from 1 batch"
    )


def test_a_short_reservation_is_refused_in_the_dialog_and_nothing_is_written(
    opened,  # type: ignore[no-untyped-def]
    stock: Database,
) -> None:
    window = opened()
    before = state(stock)
    seen: list[tuple[str, str, bool]] = []

    def fill(dialog: ReserveDialog) -> None:
        dialog.order.setText(ORDER)
        dialog.liters.setText("150")
        dialog.refresh_proposal()
        dialog.submit_button.click()
        seen.append((dialog.proposal.text(), dialog.message.text(), dialog.isVisible()))
        dialog.reject()

    _in_dialog(window, fill)
    window.open_reserve()
    proposal, message, visible = seen[0]
    assert "Short by 10.000 L" in proposal
    assert message.startswith(f"Cannot take 150.000 L for {ORDER}: the batches in date on ")
    assert message.endswith("only 140.000 L available (short by 10.000 L). Nothing was reserved.")
    assert visible
    assert state(stock) == before


def test_unreserve_asks_first_and_then_lets_every_batch_of_the_order_go(
    opened,  # type: ignore[no-untyped-def]
    stock: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reserve_once(stock, code(1), "10", order_id=ORDER, planned_for=now().date(), actor=actor())
    reserve_once(stock, code(3), "20", order_id=ORDER, planned_for=now().date(), actor=actor())
    reserve_once(stock, code(3), "5", order_id=OTHER_ORDER, planned_for=now().date(), actor=actor())
    applied: list[Batch] = []
    window = opened(applied)
    window.select(ORDER, code(3))
    asked: list[str] = []
    monkeypatch.setattr(window, "confirm", lambda text: asked.append(text) or False)
    window.unreserve_selected()
    assert len(list_reservations(stock)) == 3  # cancelled: nothing let go
    assert asked == [
        f"Let go of every reservation of {ORDER}: 30.000 L on 2 batches? The litres become "
        "free for other orders."
    ]
    monkeypatch.setattr(window, "confirm", lambda text: True)
    window.unreserve_selected()
    assert [(r.order_id, r.batch_code) for r in list_reservations(stock)] == [
        (OTHER_ORDER, code(3))
    ]
    assert _rows(window) == [(OTHER_ORDER, code(3), "—")]
    events = list_audit(stock, AuditFilter(action=AuditAction.UNRESERVE))
    assert sorted((e.batch_code, str(e.liters), e.order_id) for e in events) == [
        (code(1), "10.000", ORDER),
        (code(3), "20.000", ORDER),
    ]
    assert sorted(b.code for b in applied) == [code(1), code(3)]


def test_the_view_menu_opens_the_window_with_ctrl_shift_v(qtbot: QtBot, window: MainWindow) -> None:
    action = window.act_reservations
    assert action.shortcut() == QKeySequence("Ctrl+Shift+V")
    assert action in window.view_menu.actions()
    opened: list[object] = []
    window.dialog_opened.connect(opened.append)
    action.trigger()
    assert len(opened) == 1
    assert isinstance(opened[0], ReservationsWindow)
    assert not opened[0].isModal()
    qtbot.waitUntil(opened[0].isVisible)
    opened[0].close()
