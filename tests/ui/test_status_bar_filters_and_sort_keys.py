"""The lifecycle statuses in the status bar's counts, the status filter's choices, the legend,
and the sort keys for the new columns (no database: the widgets over domain values)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QMainWindow, QTableView
from pytestqt.qtbot import QtBot

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.main.batch_rows import StatusFilter, classify
from dairy_desktop.ui.main.batch_table_model import (
    COL_SUPPLIER,
    COL_TEMPERATURE,
    COLUMNS,
    BatchTableModel,
)
from dairy_desktop.ui.main.filter_bar import FilterBar
from dairy_desktop.ui.main.legend import Legend
from dairy_desktop.ui.main.sort_menu import sort_menu
from dairy_desktop.ui.main.status_summary import blocked_counts, summarise
from dairy_desktop.ui.widgets.status_style import StatusStyle
from tests.support.factories import make_batch

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)
FRESH = NOW + timedelta(days=10)


def _batch(n: int, expires: datetime = FRESH, ml: int = 1_000_000, **lifecycle: object) -> Batch:
    return replace(make_batch(f"SCH-20251204-{n:04d}", expires, remaining_ml=ml), **lifecycle)  # type: ignore[arg-type]


def _plant() -> list[Batch]:
    return [
        _batch(1, ml=2_000_000),  # fresh, usable
        _batch(2, NOW + timedelta(hours=3), ml=500_000),  # expires today, usable
        _batch(3, qa_state=QaState.PENDING),
        _batch(4, qa_state=QaState.PENDING),
        _batch(5, NOW - timedelta(hours=1), qa_state=QaState.PENDING),  # pending outranks expired
        _batch(6, held_at=NOW),
        _batch(7, qa_state=QaState.REJECTED, ml=4_000_000),
        _batch(8, recalled_at=NOW),
        _batch(9, NOW - timedelta(hours=1), ml=250_000),  # expired
    ]


def test_the_status_bar_counts_the_blocked_batches_and_leaves_them_out_of_available() -> None:
    text = summarise(classify(_plant(), NOW, BERLIN, 3))

    assert text == (
        "9 batches  |  Available: 2 batches, 2,500.000 L  |  "
        "3 awaiting QA, 1 on hold, 1 rejected, 1 recalled  |  "
        "Near expiry: 1, 500.000 L  |  Expired: 1, 250.000 L"
    )


def test_only_the_blocked_statuses_present_are_named() -> None:
    rows = classify([_batch(1), _batch(3, held_at=NOW)], NOW, BERLIN, 3)

    assert blocked_counts(rows) == "1 on hold"
    assert "Available: 1 batches, 1,000.000 L  |  1 on hold  |  Near expiry" in summarise(rows)
    assert blocked_counts(classify([_batch(1)], NOW, BERLIN, 3)) == ""
    assert "awaiting" not in summarise(classify([_batch(1)], NOW, BERLIN, 3))


def test_the_status_filter_offers_awaiting_qa_and_do_not_use(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    offered = [bar.status.itemText(i) for i in range(bar.status.count())]

    assert "Awaiting QA" in offered
    assert "Do not use (held / rejected / recalled)" in offered
    # Use before the reasons not to, and the "nothing here" ones last, as before.
    assert offered.index("Available") < offered.index("Awaiting QA") < offered.index("Empty")
    bar.set_status_filter(StatusFilter.DO_NOT_USE)
    assert bar.status_filter() is StatusFilter.DO_NOT_USE


def test_the_legend_shows_every_status_and_the_warm_load_mark(qtbot: QtBot) -> None:
    legend = Legend(StatusStyle(QPalette()))
    qtbot.addWidget(legend)
    words = [label.text() for label in legend.findChildren(QLabel) if label.text()]

    for status in BatchStatus:
        assert status.label in words
    assert "Warm load" in words
    hints = {label.text(): label.toolTip() for label in legend.findChildren(QLabel)}
    assert "do not use" in hints["On hold"].lower()
    assert "temperature limit" in hints["Warm load"]


def test_the_new_columns_sort_from_the_menu_with_ctrl_0_and_ctrl_minus(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    model = BatchTableModel(BERLIN, window)
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    window.setCentralWidget(table)
    menu = sort_menu(table, window)
    entries = menu.actions()

    shortcuts = [action.shortcut().toString() for action in entries]
    assert len(entries) == len(COLUMNS)
    assert shortcuts[:9] == [f"Ctrl+{n}" for n in range(1, 10)]  # unchanged by the new columns
    assert shortcuts[COL_TEMPERATURE] == "Ctrl+0"
    assert shortcuts[COL_SUPPLIER] == "Ctrl+-"
    assert len(set(shortcuts)) == len(shortcuts)

    entries[COL_TEMPERATURE].trigger()
    assert model.sort_state() == (COL_TEMPERATURE, Qt.SortOrder.AscendingOrder)
    assert entries[COL_TEMPERATURE].isChecked()
    assert entries[COL_TEMPERATURE].text().replace("&", "") == "Temperature °C  ↑"
    entries[COL_TEMPERATURE].trigger()
    assert model.sort_state() == (COL_TEMPERATURE, Qt.SortOrder.DescendingOrder)
    entries[COL_SUPPLIER].trigger()
    assert model.sort_state() == (COL_SUPPLIER, Qt.SortOrder.AscendingOrder)


def test_the_tables_classification_is_the_domains_status_for_every_combination() -> None:
    """classify() spells Batch.status_in out for speed: it must never say otherwise."""
    batches = []
    number = 0
    for qa in QaState:
        for held in (None, NOW):
            for recalled in (None, NOW):
                for deleted in (None, NOW):
                    for ml in (0, 1_000):
                        for expires in (
                            NOW - timedelta(hours=1),
                            NOW + timedelta(hours=2),
                            NOW + timedelta(days=2),
                            FRESH,
                        ):
                            number += 1
                            batches.append(
                                _batch(
                                    number,
                                    expires,
                                    ml,
                                    qa_state=qa,
                                    held_at=held,
                                    recalled_at=recalled,
                                    deleted_at=deleted,
                                )
                            )

    rows = classify(batches, NOW, BERLIN, 3)

    assert len({row.status for row in rows}) == len(BatchStatus)  # every status was reached
    for row in rows:
        assert row.status is row.batch.status(NOW, BERLIN, 3), row.batch


def test_ctrl_0_and_ctrl_minus_typed_on_the_keyboard_sort_the_new_columns(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    model = BatchTableModel(BERLIN, window)
    model.set_batches(
        [
            replace(_batch(1), supplier="Zeller", temperature_deci=40),
            replace(_batch(2), supplier="Almhof", temperature_deci=90),
        ],
        now=NOW,
        zone=BERLIN,
        near_days=3,
    )
    table = QTableView()
    table.setModel(model)
    table.setSortingEnabled(True)
    window.setCentralWidget(table)
    window.menuBar().addMenu(sort_menu(table, window))
    window.show()
    window.activateWindow()
    table.setFocus()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)

    QTest.keyClick(table, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert model.sort_state() == (COL_SUPPLIER, Qt.SortOrder.AscendingOrder)
    assert model.batch_at(0).supplier == "Almhof"  # type: ignore[union-attr]
    QTest.keyClick(table, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert model.sort_state() == (COL_TEMPERATURE, Qt.SortOrder.AscendingOrder)
    assert model.batch_at(0).temperature_deci == 40  # type: ignore[union-attr]
    QTest.keyClick(table, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert model.sort_state() == (COL_TEMPERATURE, Qt.SortOrder.DescendingOrder)
