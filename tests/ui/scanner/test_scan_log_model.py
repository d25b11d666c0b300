"""The scan log table: newest first, local times, rotation reported as row removals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from dairy_desktop.ui.scanner.scan_log import ScanLog
from dairy_desktop.ui.scanner.scan_log_model import COL_OUTCOME, COL_RAW, COL_TIME, ScanLogModel

PLANT = ZoneInfo("Europe/Berlin")
T0 = datetime(2025, 12, 4, 5, 30, tzinfo=UTC)


def test_the_model_passes_qts_model_checks(qtmodeltester: ModelTester) -> None:
    model = ScanLogModel(ScanLog(capacity=3), PLANT)
    for n in range(4):
        model.record(f"scan\x1d{n}", "ok", at=T0 + timedelta(minutes=n))

    qtmodeltester.check(model)


def test_rows_are_newest_first_with_local_time_and_visible_text() -> None:
    model = ScanLogModel(ScanLog(), PLANT)
    model.record("SCH-20251204-0001\r", "batch SCH-20251204-0001", at=T0)
    model.record("??", "not understood", at=T0 + timedelta(seconds=5))

    def shown(row: int, column: int) -> object:
        return model.data(model.index(row, column))

    assert [shown(0, c) for c in (COL_TIME, COL_RAW, COL_OUTCOME)] == [
        "2025-12-04 06:30:05",
        "??",
        "not understood",
    ]
    assert shown(1, COL_RAW) == "SCH-20251204-0001<CR>"
    assert model.headerData(COL_RAW, Qt.Orientation.Horizontal) == "Scanned"


def test_a_full_log_drops_its_bottom_row_before_adding_on_top(qtbot: QtBot) -> None:
    log = ScanLog(capacity=2)
    model = ScanLogModel(log, PLANT)
    model.record("a", "ok", at=T0)
    model.record("b", "ok", at=T0)
    removed: list[tuple[int, int]] = []
    inserted: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))

    model.record("c", "ok", at=T0)

    assert (removed, inserted) == ([(1, 1)], [(0, 0)])
    assert [model.data(model.index(row, COL_RAW)) for row in range(2)] == ["c", "b"]
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
