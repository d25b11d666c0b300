"""The batch table's Reserved L column: every order's litres set aside on the batch, blank
when none, sorted by the real millilitres, Ctrl+= from the keyboard; and filled from the
database after a reservation (both databases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow, QTableView
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.batch import Batch
from dairy_desktop.services.reservations import reserve_once
from dairy_desktop.ui.main.batch_table_model import COL_RESERVED, COLUMNS, BatchTableModel
from dairy_desktop.ui.main.sort_menu import sort_menu
from dairy_desktop.ui.main.window import MainWindow
from tests.integration.orders_stock import ORDER, actor, batch_expiring, code, now
from tests.support.factories import make_batch

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)


def _batch(n: int, reserved_ml: int) -> Batch:
    batch = make_batch(f"SCH-20251204-{n:04d}", NOW + timedelta(days=3), remaining_ml=100_000)
    return replace(batch, reserved_ml=reserved_ml)


def _model(qtbot: QtBot, window: QMainWindow) -> BatchTableModel:
    model = BatchTableModel(BERLIN, window)
    model.set_batches(
        [_batch(1, 30_500), _batch(2, 0), _batch(3, 1_000_000 // 100)],
        now=NOW,
        zone=BERLIN,
        near_days=3,
    )
    return model


def test_the_column_shows_the_reserved_litres_and_is_blank_without_any(
    qtbot: QtBot,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    model = _model(qtbot, window)
    assert COLUMNS[COL_RESERVED][1] == "Reserved L"
    assert len(COLUMNS) - 1 == COL_RESERVED  # appended: saved header layouts keep meaning
    cells = {model.index(r, 0).data(): model.index(r, COL_RESERVED).data() for r in range(3)}
    assert cells == {code(1): "30.500", code(2): "", code(3): "10.000"}
    row = next(r for r in range(3) if model.index(r, 0).data() == code(1))
    tip = model.index(row, COL_RESERVED).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"{code(1)}: 30.500 L reserved for orders, 69.500 L available")
    alignment = model.index(row, COL_RESERVED).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    qtmodeltester.check(model)


def test_ctrl_equals_sorts_by_the_reserved_litres(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    model = _model(qtbot, window)
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    window.setCentralWidget(table)
    menu = sort_menu(table, window)
    window.menuBar().addMenu(menu)
    assert menu.actions()[COL_RESERVED].shortcut().toString() == "Ctrl+="
    window.show()
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    QTest.keyClick(table, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert model.sort_state() == (COL_RESERVED, Qt.SortOrder.AscendingOrder)
    order = [model.batch_at(r).reserved_ml for r in range(3)]  # type: ignore[union-attr]
    assert order == [0, 10_000, 30_500]  # by millilitres, not by the text


def test_a_reservation_shows_in_the_window_s_table(qtbot: QtBot, window: MainWindow) -> None:
    assert window.session is not None
    assert isinstance(window.session.database, Database)
    database = window.session.database
    batch_expiring(database, 1, "80", start=now(), expires_in_days=2)
    reserve_once(database, code(1), "25", order_id=ORDER, planned_for=now().date(), actor=actor())
    window.reload()
    qtbot.waitUntil(lambda: window.model.find(code(1)) is not None, timeout=5_000)
    row = window.model.row_of(code(1))
    assert row is not None
    assert window.model.index(row, COL_RESERVED).data() == "25.000"
