"""What the keyboard-only run found out of reach: sorting, the empty state's buttons, and
the consume dialog's Tab from litres to order."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.main.window import MainWindow
from tests.integration.helpers import register


def _codes_in_view(window: MainWindow) -> list[str]:
    return [window.model.batch_at(row).code for row in range(window.model.rowCount())]  # type: ignore[union-attr]


def _sort_menu(window: MainWindow) -> QMenu:
    menu = next(
        a.menu()
        for a in window.view_menu.actions()
        if a.menu() and a.text().replace("&", "") == "Sort by"
    )
    assert isinstance(menu, QMenu)
    return menu


def test_ctrl_digit_sorts_by_that_column_and_again_reverses_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.session is not None
    for code in ("SCH-20251204-0003", "SCH-20251204-0001", "SCH-20251204-0002"):
        register(window.session.database, code, liters="10")
    window.reload()
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5_000)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)

    QTest.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    ascending = _codes_in_view(window)
    QTest.keyClick(window.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    descending = _codes_in_view(window)

    assert ascending == sorted(ascending)
    assert descending == sorted(ascending, reverse=True)
    checked = [a.text() for a in _sort_menu(window).actions() if a.isChecked()]
    assert checked == ["&Code  ↓"]


def test_the_sort_menu_follows_a_header_click_and_has_its_own_letters(
    window: MainWindow,
) -> None:
    window.table.sortByColumn(7, Qt.SortOrder.AscendingOrder)  # as a click on "Status"
    entries = _sort_menu(window).actions()
    letters = [a.text().split("&")[1][0].lower() for a in entries]

    assert [a.text() for a in entries if a.isChecked()] == ["&Status  ↑"]
    assert [k for k, n in Counter(letters).items() if n > 1] == []
    assert all(not a.shortcut().isEmpty() for a in entries)


def test_enter_on_the_empty_states_focused_button_presses_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.empty.isVisible(), timeout=5_000)
    pressed: list[str] = []
    window.empty.sample_button.clicked.disconnect()
    window.empty.sample_button.clicked.connect(lambda: pressed.append("sample"))
    window.empty.sample_button.setFocus()

    QTest.keyClick(window.empty.sample_button, Qt.Key.Key_Return)

    assert pressed == ["sample"]


def test_tab_goes_from_litres_to_the_order(qtbot: QtBot, window: MainWindow) -> None:
    assert window.session is not None
    batch = register(window.session.database, liters="80")
    dialog = ConsumeDialog(batch, window.session, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    dialog.liters.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.liters, timeout=2_000)

    QTest.keyClick(dialog.liters, Qt.Key.Key_Tab)

    assert QApplication.focusWidget() is dialog.order
    dialog.reject()
