"""Consume for order… opened from the window (Ctrl+Shift+E), filled by the scanner: an
order scan fills the order, a batch label adds that batch to the split; on both databases."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.audit_trail import AuditFilter, list_audit
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.orders.order_consume_dialog import OrderConsumeDialog
from dairy_desktop.ui.orders.split_model import COL_CODE, COL_TAKE
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from tests.integration.orders_stock import ORDER, batch_expiring, code, now
from tests.support.keystrokes import ManualClock, ScanKeyboard
from tests.support.widgets import closed


def _stock(window: MainWindow) -> Database:
    assert window.session is not None
    assert isinstance(window.session.database, Database)
    database, start = window.session.database, now()
    batch_expiring(database, 1, "40", start=start, expires_in_days=1)
    batch_expiring(database, 2, "50", start=start, expires_in_days=2)
    batch_expiring(database, 3, "100", start=start, expires_in_days=3)
    window.reload()
    return database


def _in_next_dialog(window: MainWindow, act) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Run `act` inside the next modal dialog; a failing check closes it instead of hanging."""
    seen: list[QWidget] = []

    def guarded(dialog: QWidget) -> None:
        try:
            act(dialog)
        except BaseException:
            dialog.reject()  # type: ignore[attr-defined]
            raise

    def opened(dialog: QWidget) -> None:
        window.dialog_opened.disconnect(opened)
        seen.append(dialog)
        QTimer.singleShot(0, lambda: guarded(dialog))

    window.dialog_opened.connect(opened)
    return seen


def test_the_menu_entry_has_its_shortcut_and_sits_beside_consume(window: MainWindow) -> None:
    action = window.act_consume_order
    assert action.shortcut() == QKeySequence("Ctrl+Shift+E")
    assert action.text() == "Consume for &order…"
    assert action in window.batch_menu.actions()
    assert action in window.toolbar.actions()
    batch_actions = window.batch_menu.actions()
    assert batch_actions.index(action) == batch_actions.index(window.act_consume) + 1


def test_a_scanned_order_fills_the_dialog_and_a_scanned_batch_joins_the_split(
    qtbot: QtBot, window: MainWindow
) -> None:
    database = _stock(window)
    clock = ManualClock()
    window.wedge.uninstall()
    wedge = ScannerWedge(window.wedge.settings, clock=clock, parent=window)
    wedge.scanned.connect(window.scans.handle)
    wedge.install()
    keys = ScanKeyboard(clock.advance)
    finished: list[list[tuple[str, str]]] = []

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, OrderConsumeDialog)
        keys.scan(dialog.order, ORDER)  # the order field has the focus as it opens
        qtbot.waitUntil(lambda: dialog.order.text() == ORDER, timeout=2_000)
        assert dialog.focusWidget() is dialog.liters  # litres are next
        dialog.liters.setText("60")
        dialog.refresh_proposal()
        dialog.split.remove(1)  # 40 L from the first batch kept, 20 L still wanted
        keys.scan(dialog.liters, code(3))  # the operator stands at the third tank
        model = dialog.split
        qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=2_000)
        finished.append(
            [(model.index(r, COL_CODE).data(), model.index(r, COL_TAKE).data()) for r in (0, 1)]
        )
        dialog.submit_button.click()

    seen = _in_next_dialog(window, in_dialog)
    window.act_consume_order.trigger()
    qtbot.waitUntil(lambda: len(seen) == 1 and closed(seen[0]), timeout=5_000)
    assert finished == [[(code(1), "40.000"), (code(3), "20.000")]]
    events = list_audit(database, AuditFilter(action=AuditAction.CONSUME))
    assert sorted((e.batch_code, str(e.liters), e.order_id) for e in events) == [
        (code(1), "40.000", ORDER),
        (code(3), "20.000", ORDER),
    ]
    outcomes = [window.scans.log_model.index(r, 2).data() for r in range(2)]
    assert any(o.startswith(f"order {ORDER}: filled into the consume-for-order") for o in outcomes)
    assert any(o == f"batch {code(3)}: added to the split" for o in outcomes)
    assert window.model.find(code(3)) is not None
    assert str(window.model.find(code(3)).batch.remaining_liters) == "80.000"  # type: ignore[union-attr]
    wedge.uninstall()


def test_a_scanned_batch_that_cannot_be_used_is_refused_in_the_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    _stock(window)
    outcomes: list[str] = []

    def in_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, OrderConsumeDialog)
        dialog.order.setText(ORDER)
        dialog.liters.setText("10")
        dialog.refresh_proposal()
        outcomes.append(window.scans.handle("SCH-20251204-0099"))
        dialog.reject()

    seen = _in_next_dialog(window, in_dialog)
    window.act_consume_order.trigger()
    qtbot.waitUntil(lambda: len(seen) == 1 and closed(seen[0]), timeout=5_000)
    assert outcomes == [
        "refused: batch SCH-20251204-0099 cannot be used for this order now (not consumable)"
    ]
