"""A label's expiry hour (AI 7003) and the operator's received time are respected."""

from __future__ import annotations

from datetime import date, datetime, time

from pytestqt.qtbot import QtBot

from dairy_desktop.ui.dialogs.register_dialog import RegisterDialog
from dairy_desktop.ui.main.window import MainWindow


def _dialog(qtbot: QtBot, window: MainWindow, received: datetime) -> RegisterDialog:
    dialog = RegisterDialog(window.settings, window.session, window.runner, window)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.prefill(received=received.replace(tzinfo=window.settings.zone))
    return dialog


def test_an_expiry_hour_before_the_received_hour_takes_a_day_off(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _dialog(qtbot, window, datetime(2025, 12, 4, 14, 0))
    dialog.prefill(label_expiry=date(2025, 12, 7), label_expiry_time=time(6, 30))

    # 3 days would expire on 7 Dec at 14:00, after the label's 06:30.
    assert dialog.shelf_life.chosen() == 2


def test_an_expiry_hour_after_the_received_hour_keeps_the_days(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = _dialog(qtbot, window, datetime(2025, 12, 4, 5, 0))
    dialog.prefill(label_expiry=date(2025, 12, 7), label_expiry_time=time(6, 30))

    assert dialog.shelf_life.chosen() == 3


def test_a_label_scanned_into_an_open_register_keeps_the_received_time_set(
    qtbot: QtBot, window: MainWindow
) -> None:
    from dairy_desktop.barcodes.scan_results import GS1Scan

    yesterday = datetime(2025, 12, 3, 6, 0)
    dialog = _dialog(qtbot, window, yesterday)
    label = GS1Scan(
        raw="]C11725120710SCH-20251203-0001",
        batch_code="SCH-20251203-0001",
        code_matches_pattern=True,
        expiry_date=date(2025, 12, 7),
        symbology="]C1",
    )
    window.scans._prefill(dialog, label)

    assert dialog.received_at().replace(tzinfo=None) == yesterday
    assert dialog.code.text() == "SCH-20251203-0001"
    assert dialog.shelf_life.chosen() == 4
