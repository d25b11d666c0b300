from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.main.batch_rows import RowFilter, StatusFilter
from dairy_desktop.ui.main.batch_table_model import (
    CODE_ROLE,
    COL_CODE,
    COL_EXPIRES,
    COL_FAT,
    COL_REMAINING,
    COL_STATUS,
    COL_TIME_LEFT,
    SORT_ROLE,
    STATUS_ROLE,
    BatchTableModel,
)
from dairy_desktop.ui.widgets.status_style import STATUS_COLORS
from tests.support.factories import make_batch

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 12, 4, 9, 0, tzinfo=UTC)


def batch(
    n: int,
    expires: datetime,
    *,
    remaining: int = 1_000_000,
    deleted: bool = False,
    fat: int | None = 350,
) -> Batch:
    return make_batch(
        f"SCH-20251204-{n:04d}",
        expires,
        id=n,
        remaining_ml=remaining,
        initial_ml=1_000_000,
        fat_centi=fat,
        shelf_life_days=5,
        deleted_at=NOW if deleted else None,
        updated_at=NOW,
        updated_by="ann",
        updated_workstation="PC-1",
    )


def every_status() -> list[Batch]:
    return [
        batch(1, NOW),  # expired at this very instant
        batch(2, NOW + timedelta(seconds=1)),  # expires today
        batch(3, datetime(2025, 12, 5, 0, 0, tzinfo=BERLIN)),  # near expiry from midnight on
        batch(4, datetime(2025, 12, 8, 0, 0, tzinfo=BERLIN)),  # fresh from the horizon on
        batch(5, NOW + timedelta(days=2), remaining=0),
        batch(6, NOW + timedelta(days=2), deleted=True),
    ]


@pytest.fixture
def model(qapp) -> BatchTableModel:  # type: ignore[no-untyped-def]
    model = BatchTableModel(BERLIN)
    model.set_filter(RowFilter(show_deleted=True))
    model.set_batches(every_status(), now=NOW, zone=BERLIN, near_days=3)
    return model


def test_the_model_passes_qt_model_checks(qtmodeltester, model: BatchTableModel) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model)


def test_each_status_at_its_boundary_has_its_word_icon_and_colour(model: BatchTableModel) -> None:
    model.sort(COL_CODE, Qt.SortOrder.AscendingOrder)
    expected = [
        BatchStatus.EXPIRED,
        BatchStatus.EXPIRES_TODAY,
        BatchStatus.NEAR_EXPIRY,
        BatchStatus.FRESH,
        BatchStatus.EMPTY,
        BatchStatus.DELETED,
    ]
    backgrounds = []
    for row, status in enumerate(expected):
        index = model.index(row, COL_STATUS)
        assert model.data(index, STATUS_ROLE) == status.value
        assert model.data(index) == status.label
        assert not model.data(index, Qt.ItemDataRole.DecorationRole).isNull()
        brush = model.data(index, Qt.ItemDataRole.BackgroundRole)
        backgrounds.append(None if brush is None else brush.color().name())
    # Fresh has no tint; the attention statuses each have their own, leaning to their hue.
    assert backgrounds[3] is None
    assert len(set(backgrounds[:3])) == 3
    expired_tint = model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole).color()
    assert expired_tint.red() > expired_tint.green()
    assert STATUS_COLORS[BatchStatus.EXPIRED].red() > STATUS_COLORS[BatchStatus.EXPIRED].green()
    deleted_font = model.data(model.index(5, COL_CODE), Qt.ItemDataRole.FontRole)
    assert deleted_font.strikeOut()
    assert model.data(model.index(0, COL_CODE), Qt.ItemDataRole.FontRole) is None


def test_times_show_in_local_time_and_time_left_reads_naturally(model: BatchTableModel) -> None:
    model.sort(COL_CODE, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, COL_EXPIRES)) == "2025-12-04 10:00"  # 09:00 UTC in Berlin
    assert model.data(model.index(0, COL_TIME_LEFT)).startswith("expired")
    assert model.data(model.index(3, COL_TIME_LEFT)) == "3 d 14 h"


def test_sorting_uses_real_values_not_text(qapp) -> None:  # type: ignore[no-untyped-def]
    model = BatchTableModel(BERLIN)
    rows = [
        batch(1, NOW + timedelta(days=1), remaining=999_900),
        batch(2, NOW + timedelta(days=1), remaining=1_000_000),
        batch(3, NOW + timedelta(days=1), remaining=20_000, fat=None),
    ]
    model.set_batches(rows, now=NOW, zone=BERLIN, near_days=3)
    model.sort(COL_REMAINING, Qt.SortOrder.AscendingOrder)
    # As text "20.000" < "999.900" < "1,000.000" would not hold; as numbers it does.
    assert [model.data(model.index(r, COL_CODE), CODE_ROLE)[-1] for r in range(3)] == [
        "3",
        "1",
        "2",
    ]
    assert model.data(model.index(0, COL_REMAINING), SORT_ROLE) == 20_000
    model.sort(COL_FAT, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(2, COL_CODE)) == "SCH-20251204-0003"  # unknown fat last


def test_filters_by_status_and_text(model: BatchTableModel) -> None:
    model.set_filter(RowFilter(status=StatusFilter.NEAR_EXPIRY))
    assert {model.data(model.index(r, COL_STATUS)) for r in range(model.rowCount())} == {
        "Expires today",
        "Near expiry",
    }
    model.set_filter(RowFilter(status=StatusFilter.AVAILABLE, text="0004"))
    assert model.rowCount() == 1
    model.set_filter(RowFilter())
    assert model.rowCount() == 5  # deleted hidden unless asked for
    model.set_filter(RowFilter(status=StatusFilter.DELETED))
    assert model.rowCount() == 1


def test_a_targeted_update_changes_one_row_and_keeps_the_rest(
    qtbot, model: BatchTableModel
) -> None:  # type: ignore[no-untyped-def]
    model.sort(COL_CODE, Qt.SortOrder.AscendingOrder)
    changed = every_status()[3]
    consumed = replace(changed, remaining_ml=1, version=2)
    with qtbot.waitSignal(model.dataChanged) as signal:
        model.upsert([consumed])
    assert signal.args[0].row() == 3
    assert model.rowCount() == 6
    assert model.data(model.index(3, COL_REMAINING)) == "0.001"
    newcomer = batch(7, NOW + timedelta(days=20))
    with qtbot.waitSignal(model.rowsInserted):
        model.upsert([newcomer])
    assert model.row_of(newcomer.code) == 6


def test_time_passing_moves_batches_between_bands(model: BatchTableModel) -> None:
    model.tick(NOW + timedelta(hours=16))  # 01:00 on Dec 5 in Berlin
    statuses = {
        model.data(model.index(r, COL_CODE)): model.data(model.index(r, COL_STATUS))
        for r in range(model.rowCount())
    }
    assert statuses["SCH-20251204-0002"] == "Expired"
    assert statuses["SCH-20251204-0003"] == "Expired"  # expired at midnight
    assert statuses["SCH-20251204-0004"] == "Near expiry"  # the horizon moved a day on
