"""Every main action is reachable from the keyboard: one Alt key per menu title or window
button, one letter per menu entry, a shortcut shown beside each entry, and the README's
keys (Ctrl+K, Ctrl+Shift+L, …) doing what it says."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QToolButton, QWidget

from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.scanner.scan_log_window import ScanLogWindow

_MNEMONIC = re.compile(r"&([^&])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def duplicates(keys: list[str | None]) -> dict[str, int]:
    return {key: n for key, n in Counter(k for k in keys if k).items() if n > 1}


def window_alt_keys(window: MainWindow) -> list[tuple[str, str | None]]:
    """What Alt+letter reaches in the window: menu titles, buttons, labels with a buddy."""
    keys = [(a.text(), mnemonic(a.text())) for a in window.menuBar().actions()]
    for button in window.findChildren(QAbstractButton):
        if isinstance(button, QToolButton) or button.window() is not window:
            continue  # tool buttons show their action's text without a mnemonic
        keys.append((button.text(), mnemonic(button.text())))
    for label in window.findChildren(QLabel):
        if label.buddy() is not None and label.window() is window:
            keys.append((label.text(), mnemonic(label.text())))
    return keys


def all_menus(window: MainWindow) -> dict[str, list[QAction]]:
    menus = {a.text(): a.menu().actions() for a in window.menuBar().actions() if a.menu()}
    menus["(batch table)"] = window.table.actions()  # its right-click / Menu-key menu
    return menus


def test_alt_keys_are_unique_across_the_menu_bar_and_the_windows_buttons(
    window: MainWindow,
) -> None:
    keys = window_alt_keys(window)

    assert duplicates([key for _text, key in keys]) == {}, keys


def test_each_menus_entries_have_their_own_letter(window: MainWindow) -> None:
    for title, actions in all_menus(window).items():
        entries = [a for a in actions if not a.isSeparator()]
        letters = [mnemonic(a.text()) for a in entries]
        assert None not in letters, (title, [a.text() for a in entries])
        assert duplicates(letters) == {}, (title, [a.text() for a in entries])


def test_every_menu_entry_but_sample_data_shows_a_shortcut_and_none_is_used_twice(
    window: MainWindow,
) -> None:
    entries = [
        action
        for actions in list(all_menus(window).values())[:-1]  # the menu bar's menus
        for action in actions
        if not action.isSeparator()
        and action is not window.act_sample
        and action.menu() is None  # an entry opening a submenu has no key of its own
    ]

    missing = [a.text() for a in entries if a.shortcut().isEmpty()]
    shortcuts = [a.shortcut().toString() for a in {id(a): a for a in entries}.values()]

    assert missing == []
    assert duplicates(shortcuts) == {}  # type: ignore[arg-type]
    for action in entries:  # the menu shows the key: it is the action's own shortcut
        assert action.shortcut().toString() in action.toolTip(), action.text()


def _active(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)


def test_ctrl_k_puts_the_cursor_in_the_scan_box(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _active(qtbot, window)
    window.table.setFocus()

    qtbot.keyClick(window.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)

    assert QApplication.focusWidget() is window.scan_box


def test_ctrl_shift_l_opens_the_scan_log(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _active(qtbot, window)
    opened: list[QWidget] = []
    window.dialog_opened.connect(opened.append)

    qtbot.keyClick(
        window.table,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    assert len(opened) == 1
    assert isinstance(opened[0], ScanLogWindow)
    assert opened[0].isVisible()
    opened[0].close()


def test_the_scan_log_and_scan_box_are_in_the_view_menu(window: MainWindow) -> None:
    view = window.view_menu.actions()

    assert window.act_scan_log in view
    assert window.act_scan_log.shortcut().toString() == "Ctrl+Shift+L"
    assert window.act_scan_box in view
    assert window.act_scan_box.shortcut().toString() == "Ctrl+K"


def test_file_scanner_opens_the_scanner_settings(window: MainWindow) -> None:
    from dairy_desktop.ui.scanner.scanner_dialog import ScannerSettingsDialog

    seen: list[QWidget] = []

    def opened(dialog: QWidget) -> None:
        seen.append(dialog)
        QTimer.singleShot(0, dialog.close)

    window.dialog_opened.connect(opened)
    assert window.act_scanner in window.file_menu.actions()

    window.act_scanner.trigger()

    assert len(seen) == 1
    assert isinstance(seen[0], ScannerSettingsDialog)


def test_the_context_menu_lists_the_tables_actions(window: MainWindow) -> None:
    window.table_menu.open_at_current_row()
    menu = window.table_menu.menu

    assert isinstance(menu, QMenu)
    assert menu.actions() == window.table.actions()
    menu.close()
