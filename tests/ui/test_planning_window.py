"""The Planning window: opened with Ctrl+Shift+G, loads on the runner, follows the days box
and other PCs' changes, and draws the litres it lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from pytestqt.qtbot import QtBot

from dairy_desktop.db.database import Database
from dairy_desktop.domain.errors import DatabaseUnavailable
from dairy_desktop.domain.settings import PlantSettings
from dairy_desktop.printing.plan_chart import AVAILABLE_FILL
from dairy_desktop.services.consume import consume
from dairy_desktop.services.plant_settings import update_plant_settings
from dairy_desktop.services.register import register_batch
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.planning import window as planning
from dairy_desktop.ui.planning.day_table import COL_AVAILABLE, COL_BATCHES, COL_FAT
from dairy_desktop.ui.planning.window import PlanningWindow
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import ANN


def _stock(database: Database) -> None:
    update_plant_settings(
        database,
        PlantSettings("Riverside", time_zone="Europe/Berlin", qa_release_required=False),
        ANN,
    )
    received = datetime.now(UTC) - timedelta(hours=1)
    for code, liters, days, fat in (
        ("SCH-20251204-0001", "1000", 2, "3.00"),
        ("SCH-20251204-0002", "3000", 2, "4.00"),
        ("SCH-20251204-0003", "500", 12, "3.50"),
    ):
        register_batch(
            database,
            code=code,
            liters=liters,
            shelf_life_days=days,
            received_at=received,
            fat_percent=fat,
            actor=ANN,
        )


class _MainWindowChanges(QObject):
    """Stands in for the main window's batches_changed signal."""

    changed = Signal(object)


def _open(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, changed: object = None
) -> PlanningWindow:
    window = PlanningWindow(session, runner, changed=changed)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def _busy_row(window: PlanningWindow) -> int:
    (row,) = [
        r for r in range(window.table.rowCount()) if window.table.item(r, COL_BATCHES).text() != "0"
    ]
    return row


def test_the_plan_is_listed_and_drawn_for_the_days_chosen(
    qtbot: QtBot, database: Database, session: AppSession, runner: TaskRunner
) -> None:
    _stock(database)

    window = _open(qtbot, session, runner)

    assert window.message == ""
    assert window.table.rowCount() == 8  # today and 7 days
    row = _busy_row(window)
    assert window.table.item(row, COL_AVAILABLE).text() == "4,000.000"
    assert window.table.item(row, COL_FAT).text() == "3.75"
    assert "2 batches expiring, 4,000.000 L" in window.summary.text()
    image = window.chart.grab().toImage()  # paints the chart
    drawn = window.chart.geometry_drawn
    assert drawn is not None
    assert len(drawn.bars) == 8
    bar = drawn.bars[row].available
    assert bar.height() > 0
    centre = bar.center().toPoint() * image.devicePixelRatio()
    assert image.pixelColor(centre) == AVAILABLE_FILL

    window.days_spin.setValue(14)
    qtbot.waitUntil(lambda: window.table.rowCount() == 15)

    assert "3 batches expiring, 4,500.000 L" in window.summary.text()


def test_a_change_elsewhere_reloads_the_plan(
    qtbot: QtBot,
    database: Database,
    session: AppSession,
    other_pc: AppSession,
    runner: TaskRunner,
) -> None:
    _stock(database)
    window = _open(qtbot, session, runner)
    main_changes = _MainWindowChanges()
    window_two = _open(qtbot, session, runner, changed=main_changes.changed)
    row = _busy_row(window_two)

    consume(other_pc.database, "SCH-20251204-0002", "250", actor=ANN)
    main_changes.changed.emit([])
    with qtbot.waitSignal(window_two.plan_loaded, timeout=5_000):
        pass

    assert window_two.table.item(row, COL_AVAILABLE).text() == "3,750.000"
    assert window.table.item(row, COL_AVAILABLE).text() == "4,000.000"  # not told: unchanged


def test_a_failed_load_says_why_and_keeps_the_window(
    qtbot: QtBot, session: AppSession, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(*_: object, **__: object) -> None:
        raise DatabaseUnavailable("The database server cannot be reached.")

    monkeypatch.setattr(planning, "load_plan", unavailable)

    window = _open(qtbot, session, runner)

    assert "The plan could not be loaded: The database server cannot be reached." in window.message
    assert window.isVisible()


def test_ctrl_shift_g_opens_planning_from_the_view_menu(qtbot: QtBot, window: MainWindow) -> None:
    opened: list[object] = []
    window.dialog_opened.connect(opened.append)

    qtbot.keyClick(
        window,
        "G",
        modifier=Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    (planning_window,) = [w for w in opened if isinstance(w, PlanningWindow)]
    assert planning_window.isVisible()
    assert window.act_planning in window.view_menu.actions()
    assert window.act_planning.text() == "&Planning…"
    planning_window.close()
