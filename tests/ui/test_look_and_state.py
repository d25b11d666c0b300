"""Screens render, colours read on dark palettes too, and the window remembers its layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette

from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.main.batch_table_model import COL_CODE, COL_REMAINING
from dairy_desktop.ui.main.window import MainWindow
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.status_style import StatusStyle
from tests.screenshots import render_one
from tests.ui.conftest import OPERATOR


def test_every_main_screen_renders_to_a_real_picture(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = render_one(tmp_path, dark=False)
    assert {
        "main_window",
        "consume_dialog",
        "conflict_prompt",
        "register_dialog",
        "audit_window",
        "empty_state",
    } <= {p.stem for p in paths}
    for path in paths:
        image = QImage(str(path))
        assert image.width() > 300
        assert image.height() > 100
        # Not a blank canvas: a rendered screen has many distinct colours.
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(colours) > 10, path


def _contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_status_tints_keep_text_readable_on_light_and_dark_palettes(qapp) -> None:  # type: ignore[no-untyped-def]
    light = QPalette(QColor("#f0f0f0"))
    dark = QPalette(QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    for palette in (light, dark):
        style = StatusStyle(palette)
        for status in BatchStatus:
            brush = style.background[status]
            background = brush.color() if brush else palette.color(QPalette.ColorRole.Base)
            text = style.foreground[status].color()
            # WCAG AA for normal text is 4.5:1; muted grey rows (empty/deleted) need 3:1.
            minimum = 3.0 if status in (BatchStatus.EMPTY, BatchStatus.DELETED) else 4.5
            assert _contrast(background, text) >= minimum, (palette, status)
    assert StatusStyle(dark).dark
    assert not StatusStyle(light).dark


def test_column_widths_and_sort_order_are_remembered(qtbot, database_url: str) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=True)
    first = MainWindow(database_url, OPERATOR, runner)
    qtbot.addWidget(first)
    first.table.setColumnWidth(COL_CODE, 233)
    first.table.sortByColumn(COL_REMAINING, Qt.SortOrder.DescendingOrder)
    first.close()
    second = MainWindow(database_url, OPERATOR, runner)
    qtbot.addWidget(second)
    assert second.table.columnWidth(COL_CODE) == 233
    assert second.model.sort_state() == (COL_REMAINING, Qt.SortOrder.DescendingOrder)
    second.close()
