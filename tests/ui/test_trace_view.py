"""The Trace view: opened from a batch (menu, shortcut, context menu) or by typing or scanning
an order; it shows what the audit trail says, and saves a batch's recall list."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QGroupBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.consume import consume_once
from dairy_desktop.services.recall_export import RECALL_COLUMNS
from dairy_desktop.services.reverse import reverse_once
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.trace.fact_table_model import Cell, FactRow, FactTableModel
from dairy_desktop.ui.trace.window import TraceWindow, is_order_id
from tests.integration.helpers import ANN, BOB, register
from tests.integration.lifecycle_stock import put_setting
from tests.support.keystrokes import ManualClock, ScanKeyboard

CODE = "SCH-20251204-0001"
OTHER = "SCH-20251204-0002"
ORDER = "ORDER-20251204-0001"


def _seed(session: AppSession) -> None:
    """CODE: 100 L for ORDER, 20 L for another order (reversed); OTHER: 30 L for ORDER."""
    database = session.database
    put_setting(database, "qa_release_required", "false")
    register(database, CODE, "1000")
    register(database, OTHER, "500")
    consume_once(database, CODE, "100", order_id=ORDER, actor=ANN.for_action())
    wrong = consume_once(
        database, CODE, "20", order_id="ORDER-20251204-0002", actor=BOB.for_action()
    )
    reverse_once(database, wrong.event.id, reason="wrong order", actor=ANN.for_action())
    consume_once(database, OTHER, "30", order_id=ORDER, actor=BOB.for_action())


def _opened(window: MainWindow) -> list[QWidget]:
    seen: list[QWidget] = []
    window.dialog_opened.connect(seen.append)
    return seen


def _traces(seen: list[QWidget]) -> list[TraceWindow]:
    return [widget for widget in seen if isinstance(widget, TraceWindow)]


def test_the_trace_action_opens_the_view_for_the_selected_batch(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    _seed(window.session)
    window.reload()
    window.select_code(CODE)
    seen = _opened(window)
    assert window.act_trace in window.batch_menu.actions()
    assert window.act_trace in window.table.actions()  # the context menu
    assert window.act_trace.shortcut().toString() == "Ctrl+Shift+T"
    assert window.act_trace.isEnabled()
    window.act_trace.trigger()
    (trace,) = _traces(seen)
    assert trace.isVisible()
    assert not trace.isModal()
    assert trace.search_edit.text() == CODE
    assert trace.search_edit.selectedText() == CODE  # the next code typed replaces it
    assert [row[0] for row in trace.batches.texts()] == [CODE]
    uses = trace.uses.texts()
    assert [(row[2], row[3]) for row in uses] == [
        (ORDER, "100.000"),
        ("ORDER-20251204-0002", "20.000"),
    ]
    assert uses[0][7] == ""
    assert uses[1][7].startswith("Reversed ")
    assert uses[1][7].endswith(" by ann")
    reversed_row = trace.uses.row_at(1)
    assert reversed_row is not None
    assert reversed_row.muted
    assert f"Batch {CODE}" in trace.summary.text()
    assert "1 use(s) reversed" in trace.summary.text()
    assert trace.export_button.isEnabled()
    trace.close()


def test_ctrl_shift_t_opens_it_from_the_table(qtbot: QtBot, window: MainWindow) -> None:
    assert window.session is not None
    _seed(window.session)
    window.reload()
    window.select_code(OTHER)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    seen = _opened(window)
    qtbot.keyClick(
        window.table,
        Qt.Key.Key_T,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    (trace,) = _traces(seen)
    assert [row[0] for row in trace.batches.texts()] == [OTHER]
    trace.close()


def test_an_order_typed_into_the_search_box_shows_every_batch_that_went_into_it(
    qtbot: QtBot, session: AppSession
) -> None:
    _seed(session)
    trace = TraceWindow(session, TaskRunner(synchronous=True))
    qtbot.addWidget(trace)
    trace.show()
    qtbot.keyClicks(trace.search_edit, ORDER.lower())
    qtbot.keyClick(trace.search_edit, Qt.Key.Key_Return)
    assert [row[0] for row in trace.batches.texts()] == [CODE, OTHER]
    assert [(row[0], row[2], row[3]) for row in trace.uses.texts()] == [
        (CODE, ORDER, "100.000"),
        (OTHER, ORDER, "30.000"),
    ]  # the other order's (reversed) use of CODE is not this order's
    assert trace.summary.text().startswith(f"Order {ORDER}: 130.000 L from 2 batches")
    assert not trace.export_button.isEnabled()  # the recall list is per batch
    assert trace.windowTitle() == f"Trace — {ORDER}"


def test_the_tables_say_what_the_audit_trail_says(qtbot: QtBot, session: AppSession) -> None:
    _seed(session)
    trace = TraceWindow(session, TaskRunner(synchronous=True), query=CODE)
    qtbot.addWidget(trace)
    consumes = [e for e in session.history(CODE) if e.action is AuditAction.CONSUME]
    assert [row[6] for row in trace.uses.texts()] == [f"#{e.id}" for e in consumes]
    assert [row[4] for row in trace.uses.texts()] == [e.operator for e in consumes]
    assert [row[5] for row in trace.uses.texts()] == [e.workstation for e in consumes]
    assert trace.disposals.rowCount() == 0
    assert trace.qa_results.rowCount() == 0


def test_an_unknown_code_or_order_is_explained_and_the_old_rows_go(
    qtbot: QtBot, session: AppSession
) -> None:
    _seed(session)
    trace = TraceWindow(session, TaskRunner(synchronous=True), query=CODE)
    qtbot.addWidget(trace)
    assert trace.batches.rowCount() == 1
    trace.trace("XYZ-20251204-0009")
    assert "No batch with code 'XYZ-20251204-0009'" in trace.message
    assert (trace.batches.rowCount(), trace.uses.rowCount()) == (0, 0)
    assert [trace.findChild(QGroupBox, f"{name}Group").title() for name in ("batches", "uses")] == [
        "Batches (0)",
        "Used for orders (0)",
    ]
    assert not trace.export_button.isEnabled()
    trace.trace("ORDER-20251204-0099")
    assert "No milk was ever consumed for order ORDER-20251204-0099" in trace.message
    trace.trace("")
    assert "Type or scan a batch code" in trace.message


def test_a_scan_while_the_view_is_in_front_fills_its_search_box(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    _seed(window.session)
    window.reload()
    seen = _opened(window)
    window.act_trace.trigger()  # nothing selected: an empty view, to scan an order into
    (trace,) = _traces(seen)
    assert trace.search_edit.text() == ""
    trace.activateWindow()
    qtbot.waitUntil(trace.isActiveWindow, timeout=2_000)
    clock = ManualClock()
    window.wedge.uninstall()
    wedge = ScannerWedge(window.wedge.settings, clock=clock, parent=window)
    wedge.scanned.connect(window.scans.handle)
    wedge.install()
    keys = ScanKeyboard(clock.advance)
    try:
        trace.search_edit.setFocus()
        keys.scan(trace.search_edit, ORDER)
        qtbot.waitUntil(lambda: trace.batches.rowCount() == 2, timeout=5_000)
        assert trace.search_edit.text() == ORDER
        assert QApplication.activeModalWidget() is None  # no consume dialog opened
        keys.scan(trace.search_edit, OTHER)  # a batch label, scanned the same way
        qtbot.waitUntil(lambda: trace.search_edit.text() == OTHER, timeout=5_000)
        assert [row[0] for row in trace.batches.texts()] == [OTHER]
        assert window.scans.log_model.rowCount() == 2
    finally:
        wedge.uninstall()
        trace.close()


def test_export_recall_saves_the_shown_batchs_recall_list(
    qtbot: QtBot, session: AppSession, tmp_path: Path
) -> None:
    _seed(session)
    trace = TraceWindow(session, TaskRunner(synchronous=True), query=CODE)
    qtbot.addWidget(trace)
    path = tmp_path / "recall"
    with qtbot.waitSignal(trace.export_finished) as finished:
        trace.export_recall(str(path))
    assert finished.args == [1, str(tmp_path / "recall.csv")]
    with (tmp_path / "recall.csv").open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert header == list(RECALL_COLUMNS)
    assert [(row[0], row[8], row[9]) for row in rows] == [(CODE, ORDER, "100.000")]
    assert "Recall list of SCH-20251204-0001 saved: 1 use in" in trace.statusBar().currentMessage()


def test_an_export_to_a_folder_is_refused_in_the_view(
    qtbot: QtBot, session: AppSession, tmp_path: Path
) -> None:
    _seed(session)
    trace = TraceWindow(session, TaskRunner(synchronous=True), query=CODE)
    qtbot.addWidget(trace)
    folder = tmp_path / "a.csv"
    folder.mkdir()
    trace.export_recall(str(folder))
    assert "The recall list was not saved" in trace.message
    assert "is a folder" in trace.message
    assert list(folder.iterdir()) == []
    assert trace.export_button.isEnabled()  # ready for another try


def test_is_order_id_tells_orders_from_batch_codes() -> None:
    assert is_order_id(ORDER)
    assert is_order_id(" order-20251204-0001 ")
    assert not is_order_id(CODE)


def test_the_fact_table_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = FactTableModel(("Batch", "Litres"))
    model.set_rows(
        [
            FactRow((Cell(CODE), Cell("2.000", sort=2, numeric=True))),
            FactRow((Cell(OTHER), Cell("10.000", sort=10, numeric=True)), muted=True),
        ]
    )
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.texts() == [[OTHER, "10.000"], [CODE, "2.000"]]  # by value, not by text
    assert model.data(model.index(0, 1), Qt.ItemDataRole.TextAlignmentRole) is not None
    model.set_rows(
        [FactRow((Cell("a"), Cell("1", sort=1))), FactRow((Cell("b"), Cell("9", sort=9)))]
    )
    assert model.texts() == [["b", "9"], ["a", "1"]]  # new rows follow the view's sort
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    with pytest.raises(ValueError, match="a row of 1 cells for 2"):
        model.set_rows([FactRow((Cell("x"),))])
