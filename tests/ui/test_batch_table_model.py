from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.qa import QaState
from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.main.batch_rows import RowFilter, StatusFilter
from dairy_desktop.ui.main.batch_table_model import (
    CODE_ROLE,
    COL_CODE,
    COL_EXPIRES,
    COL_FAT,
    COL_REMAINING,
    COL_STATUS,
    COL_SUPPLIER,
    COL_TEMPERATURE,
    COL_TIME_LEFT,
    COLUMNS,
    SORT_ROLE,
    STATUS_ROLE,
    BatchTableModel,
)
from dairy_desktop.ui.widgets.status_style import (
    STATUS_COLORS,
    STATUS_HINTS,
    status_icon,
    warm_icon,
)
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


# The lifecycle statuses: each blocks use whatever the expiry, and reads without colour.
def lifecycle_batches() -> list[Batch]:
    fresh = datetime(2025, 12, 20, 0, 0, tzinfo=BERLIN)
    return [
        replace(batch(11, fresh), qa_state=QaState.PENDING),
        replace(batch(12, fresh), held_at=NOW),
        replace(batch(13, NOW - timedelta(hours=2)), qa_state=QaState.REJECTED),  # also expired
        replace(batch(14, fresh), recalled_at=NOW, held_at=NOW),  # recall outranks the hold
        replace(
            batch(15, fresh),
            supplier="Hofmann Farm",
            tanker="TK-7",
            seal="S-991",
            temperature_deci=85,
        ),
        replace(batch(16, fresh), supplier="almhof", temperature_deci=70),  # at the limit: fine
        replace(batch(17, fresh), temperature_deci=-5),
    ]


BLOCKED = {
    "SCH-20251204-0011": BatchStatus.PENDING_QA,
    "SCH-20251204-0012": BatchStatus.ON_HOLD,
    "SCH-20251204-0013": BatchStatus.REJECTED,
    "SCH-20251204-0014": BatchStatus.RECALLED,
}


@pytest.fixture
def lifecycle(qapp) -> BatchTableModel:  # type: ignore[no-untyped-def]
    model = BatchTableModel(BERLIN)
    model.set_filter(RowFilter(show_deleted=True))
    model.set_batches(every_status() + lifecycle_batches(), now=NOW, zone=BERLIN, near_days=3)
    model.sort(COL_CODE, Qt.SortOrder.AscendingOrder)
    return model


def test_the_model_with_every_lifecycle_status_passes_qt_model_checks(
    qtmodeltester, lifecycle: BatchTableModel
) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(lifecycle)


def test_each_lifecycle_status_has_its_word_icon_tint_and_hint(lifecycle: BatchTableModel) -> None:
    seen_tints, seen_icons = set(), set()
    for code, status in BLOCKED.items():
        row = lifecycle.row_of(code)
        assert row is not None
        index = lifecycle.index(row, COL_STATUS)
        assert lifecycle.data(index, STATUS_ROLE) == status.value
        assert lifecycle.data(index) == status.label
        icon = lifecycle.data(index, Qt.ItemDataRole.DecorationRole)
        assert not icon.isNull()
        seen_icons.add(icon.pixmap(16, 16).toImage().bits().tobytes())
        brush = lifecycle.data(index, Qt.ItemDataRole.BackgroundRole)
        assert brush is not None, status  # each one asks for attention
        seen_tints.add(brush.color().name())
        tooltip = lifecycle.data(lifecycle.index(row, COL_CODE), Qt.ItemDataRole.ToolTipRole)
        assert tooltip == f"{code}: {STATUS_HINTS[status]}"
        assert "use" in STATUS_HINTS[status]  # every hint says what it means for use
    assert [lifecycle.data(lifecycle.index(lifecycle.row_of(c), COL_STATUS)) for c in BLOCKED] == [  # type: ignore[arg-type]
        "Awaiting QA",
        "On hold",
        "Rejected",
        "Recalled",
    ]
    assert len(seen_tints) == 4
    assert len(seen_icons) == 4


def _grey(icon: QIcon, background: int) -> list[float]:
    """The 24 px icon as a grey-scale picture on a plain background (luminance 0–255)."""
    image = icon.pixmap(24, 24).toImage()
    pixels = []
    for y in range(24):
        for x in range(24):
            c = image.pixelColor(x, y)
            luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
            pixels.append(luminance * c.alphaF() + background * (1 - c.alphaF()))
    return pixels


@pytest.mark.parametrize("background", [255, 30], ids=["light", "dark"])
def test_every_status_icon_is_told_apart_in_grey_scale(qapp, background: int) -> None:  # type: ignore[no-untyped-def]
    """Without colour (a grey-scale screen, a colour-blind eye) every pair of icons, the
    warm-load mark included, still differs clearly: on average by more than 12 grey levels a
    pixel (the original six differ by 22 or more; identical shapes in two hues by under 5)."""
    dark = background < 128  # a dark palette gets the lighter icon set
    icons = {s.value: status_icon(s, dark=dark) for s in BatchStatus}
    icons["warm"] = warm_icon(dark=dark)
    greys = {name: _grey(icon, background) for name, icon in icons.items()}
    names = list(greys)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = greys[first], greys[second]
            difference = sum(abs(p - q) for p, q in zip(a, b, strict=True)) / len(a)
            assert difference > 12, (first, second, difference)
    # And each stands out from the background itself, not only from the others.
    for name, pixels in greys.items():
        seen = sum(abs(p - background) > 60 for p in pixels)
        assert seen > 100, (name, seen)  # of 576 pixels


def test_supplier_and_temperature_show_and_a_warm_load_is_flagged(
    lifecycle: BatchTableModel,
) -> None:
    warm = lifecycle.row_of("SCH-20251204-0015")
    at_limit = lifecycle.row_of("SCH-20251204-0016")
    cold = lifecycle.row_of("SCH-20251204-0017")
    unknown = lifecycle.row_of("SCH-20251204-0011")
    assert None not in (warm, at_limit, cold, unknown)

    def cell(row: int | None, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return lifecycle.data(lifecycle.index(row, column), role)  # type: ignore[arg-type]

    assert COLUMNS[COL_SUPPLIER][1] == "Supplier"
    assert COLUMNS[COL_TEMPERATURE][1] == "Temp °C"
    assert cell(warm, COL_SUPPLIER) == "Hofmann Farm"
    assert cell(warm, COL_TEMPERATURE) == "8.5"
    assert cell(cold, COL_TEMPERATURE) == "-0.5"
    assert cell(unknown, COL_TEMPERATURE) == ""
    assert cell(unknown, COL_SUPPLIER) == ""
    # The flag: an icon, a bold font and words, so it reads without colour.
    assert not cell(warm, COL_TEMPERATURE, Qt.ItemDataRole.DecorationRole).isNull()  # type: ignore[attr-defined]
    assert cell(warm, COL_TEMPERATURE, Qt.ItemDataRole.FontRole).bold()  # type: ignore[attr-defined]
    assert cell(warm, COL_TEMPERATURE, Qt.ItemDataRole.ToolTipRole) == (
        "SCH-20251204-0015: received at 8.5 °C, above the plant's limit of 7.0 °C"
    )
    for row in (at_limit, cold, unknown):
        assert cell(row, COL_TEMPERATURE, Qt.ItemDataRole.DecorationRole) is None
        assert cell(row, COL_TEMPERATURE, Qt.ItemDataRole.FontRole) is None
        assert "limit" not in str(cell(row, COL_TEMPERATURE, Qt.ItemDataRole.ToolTipRole))
    assert cell(warm, COL_SUPPLIER, Qt.ItemDataRole.ToolTipRole) == (
        "SCH-20251204-0015: supplier Hofmann Farm · tanker TK-7 · seal S-991"
    )
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert cell(warm, COL_TEMPERATURE, Qt.ItemDataRole.TextAlignmentRole) == right


def test_the_plants_limit_decides_what_is_flagged(qtbot, lifecycle: BatchTableModel) -> None:  # type: ignore[no-untyped-def]
    at_limit = lifecycle.row_of("SCH-20251204-0016")
    index = lifecycle.index(at_limit, COL_TEMPERATURE)  # type: ignore[arg-type]
    assert lifecycle.data(index, Qt.ItemDataRole.DecorationRole) is None

    with qtbot.waitSignal(lifecycle.dataChanged) as changed:
        lifecycle.set_temperature_limit(60)  # the EU's 6 °C

    assert changed.args[0].column() == changed.args[1].column() == COL_TEMPERATURE
    assert lifecycle.temperature_limit() == 60
    assert lifecycle.data(index, Qt.ItemDataRole.DecorationRole) is not None
    assert lifecycle.data(index, Qt.ItemDataRole.ToolTipRole).endswith(
        "above the plant's limit of 6.0 °C"
    )


def test_sorting_by_supplier_and_temperature_uses_values_and_puts_unknown_last(
    lifecycle: BatchTableModel,
) -> None:
    lifecycle.set_filter(RowFilter(text="001"))  # the lifecycle batches only

    def codes() -> list[str]:
        return [lifecycle.data(lifecycle.index(r, COL_CODE)) for r in range(lifecycle.rowCount())]

    lifecycle.sort(COL_TEMPERATURE, Qt.SortOrder.AscendingOrder)
    assert codes()[:3] == ["SCH-20251204-0017", "SCH-20251204-0016", "SCH-20251204-0015"]
    assert lifecycle.data(lifecycle.index(0, COL_TEMPERATURE), SORT_ROLE) == (False, -5)
    lifecycle.sort(COL_SUPPLIER, Qt.SortOrder.AscendingOrder)
    assert codes()[:2] == ["SCH-20251204-0016", "SCH-20251204-0015"]  # "almhof" < "Hofmann"


def test_sorting_by_status_puts_the_strongest_do_not_use_first(lifecycle: BatchTableModel) -> None:
    lifecycle.sort(COL_STATUS, Qt.SortOrder.AscendingOrder)
    statuses = [lifecycle.status_at(r) for r in range(5)]
    assert statuses == [
        BatchStatus.RECALLED,
        BatchStatus.REJECTED,
        BatchStatus.ON_HOLD,
        BatchStatus.PENDING_QA,
        BatchStatus.EXPIRED,
    ]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (StatusFilter.AWAITING_QA, {"SCH-20251204-0011"}),
        (
            StatusFilter.DO_NOT_USE,
            {"SCH-20251204-0012", "SCH-20251204-0013", "SCH-20251204-0014"},
        ),
    ],
)
def test_the_new_filter_choices_show_exactly_their_batches(
    lifecycle: BatchTableModel, choice: StatusFilter, expected: set[str]
) -> None:
    lifecycle.set_filter(RowFilter(status=choice))
    shown = {lifecycle.data(lifecycle.index(r, COL_CODE)) for r in range(lifecycle.rowCount())}
    assert shown == expected


def test_available_leaves_out_pending_held_rejected_and_recalled(
    lifecycle: BatchTableModel,
) -> None:
    lifecycle.set_filter(RowFilter(status=StatusFilter.AVAILABLE))
    shown = {lifecycle.data(lifecycle.index(r, COL_CODE)) for r in range(lifecycle.rowCount())}
    # The fresh lifecycle batches that are released and free (15–17), and the usable bands.
    assert shown == {
        "SCH-20251204-0002",
        "SCH-20251204-0003",
        "SCH-20251204-0004",
        "SCH-20251204-0015",
        "SCH-20251204-0016",
        "SCH-20251204-0017",
    }
    assert not shown & BLOCKED.keys()


def test_a_hold_arriving_as_an_update_moves_the_row_out_of_available(
    qtbot, lifecycle: BatchTableModel
) -> None:  # type: ignore[no-untyped-def]
    lifecycle.set_filter(RowFilter(status=StatusFilter.AVAILABLE))
    free = lifecycle.find("SCH-20251204-0015")
    assert free is not None
    assert lifecycle.row_of(free.batch.code) is not None

    with qtbot.waitSignal(lifecycle.rowsRemoved):
        lifecycle.upsert([replace(free.batch, held_at=NOW, version=2)])

    assert lifecycle.row_of(free.batch.code) is None
    held = lifecycle.find(free.batch.code)
    assert held is not None
    assert held.status is BatchStatus.ON_HOLD
