"""The Scanner dialog: test scans stay in the dialog, advice names what to change, OK keeps
the settings for this PC and applies them, Cancel puts the old ones back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.preferences.scanner_settings import hash_is_fnc1, load_wedge_settings
from dairy_desktop.ui.scanner.scanner_dialog import ScannerSettingsDialog
from dairy_desktop.ui.scanner.wedge import ScannerWedge
from dairy_desktop.ui.scanner.wedge_settings import Marker, Terminator, WedgeSettings
from tests.support.keystrokes import ManualClock, ScanKeyboard

CODE = "SCH-20251204-0001"


@pytest.fixture(autouse=True)
def own_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings saved by one test must not be what the next one reads."""
    monkeypatch.setenv("DAIRY_DESKTOP_HOME", str(tmp_path))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def wedge(qapp: QApplication, clock: ManualClock) -> Iterator[ScannerWedge]:
    made = ScannerWedge(WedgeSettings(), clock=clock)
    made.install(qapp)
    yield made
    made.uninstall(qapp)
    made.deleteLater()


@pytest.fixture
def dialog(qtbot: QtBot, wedge: ScannerWedge) -> ScannerSettingsDialog:
    made = ScannerSettingsDialog(wedge, None)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    made.activateWindow()
    made.test_area.setFocus()
    qtbot.waitUntil(made.test_area.hasFocus)
    return made


def test_a_test_scan_is_shown_in_the_dialog_and_routed_nowhere(
    qtbot: QtBot, wedge: ScannerWedge, dialog: ScannerSettingsDialog, clock: ManualClock
) -> None:
    routed: list[str] = []
    wedge.scanned.connect(routed.append)

    ScanKeyboard(clock.advance).scan(dialog.test_area, CODE, gap_ms=3)
    qtbot.waitUntil(lambda: "recognised as a scan" in dialog.results.toPlainText())

    assert routed == []
    assert CODE in dialog.results.toPlainText()
    assert "+3" in dialog.results.toPlainText()
    assert dialog.advice.text().startswith("Recognised")
    assert dialog.isVisible()  # the scan's Enter did not press OK
    dialog.reject()
    assert wedge.is_routing()


def test_f12_sent_before_the_data_suggests_prefix_mode(
    qtbot: QtBot, dialog: ScannerSettingsDialog, clock: ManualClock
) -> None:
    keys = ScanKeyboard(clock.advance)
    # QTest through the window gives timestamps, as a real window system does.
    window = dialog.windowHandle()
    keys.key(window, Qt.Key.Key_F12)
    keys.scan(window, CODE, gap_ms=0)
    qtbot.waitUntil(lambda: bool(dialog.advice.text()), timeout=2_000)

    assert "sends F12 first" in dialog.advice.text()
    assert "F12" in dialog.results.toPlainText()


def test_slow_keys_with_no_terminator_suggest_a_longer_gap(
    qtbot: QtBot, dialog: ScannerSettingsDialog, clock: ManualClock
) -> None:
    keys = ScanKeyboard(clock.advance)
    keys.type(dialog.test_area, "ABCDEFGH", 40)
    dialog._wedge.flush()  # what the quiet timer does

    qtbot.waitUntil(lambda: bool(dialog.advice.text()), timeout=2_000)
    assert "raise it to about 50 ms" in dialog.advice.text()
    assert dialog.isVisible()


def test_ok_saves_for_this_pc_and_applies_to_the_live_wedge(
    wedge: ScannerWedge, dialog: ScannerSettingsDialog
) -> None:
    dialog.max_gap.setValue(45)
    dialog.terminators[Terminator.TAB].setChecked(True)
    dialog.prefix.setCurrentIndex(dialog.prefix.findData(Marker.STX.value))
    dialog.hash_fnc1.setChecked(False)

    dialog.ok_button.click()

    expected = WedgeSettings(
        max_gap_ms=45,
        terminators=frozenset({Terminator.ENTER, Terminator.TAB}),
        prefix=Marker.STX,
    )
    assert wedge.settings == expected
    assert load_wedge_settings() == expected
    assert hash_is_fnc1() is False
    assert wedge.is_routing()


def test_cancel_puts_the_old_settings_back_and_saves_nothing(
    wedge: ScannerWedge, dialog: ScannerSettingsDialog
) -> None:
    dialog.max_gap.setValue(99)
    assert wedge.settings.max_gap_ms == 99  # tried at once on the test page

    dialog.reject()

    assert wedge.settings == WedgeSettings()
    assert load_wedge_settings() == WedgeSettings()


def test_impossible_settings_are_named_and_ok_keeps_the_dialog_open(
    wedge: ScannerWedge, dialog: ScannerSettingsDialog
) -> None:
    for box in dialog.terminators.values():
        box.setChecked(False)

    dialog.ok_button.click()

    assert dialog.isVisible()
    assert "terminator" in dialog.problem.text()
    assert wedge.settings == WedgeSettings()
    dialog.reject()


def test_escape_on_the_test_page_cancels_the_dialog(
    qtbot: QtBot, wedge: ScannerWedge, dialog: ScannerSettingsDialog
) -> None:
    from PySide6.QtTest import QTest

    finished: list[int] = []
    dialog.finished.connect(finished.append)
    dialog.max_gap.setValue(99)
    dialog.test_area.setFocus()

    QTest.keyClick(dialog.test_area, Qt.Key.Key_Escape)

    assert finished == [ScannerSettingsDialog.DialogCode.Rejected]
    assert wedge.settings == WedgeSettings()
