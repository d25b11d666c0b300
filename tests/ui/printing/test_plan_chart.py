"""The planning chart painted on a QImage and looked at, pixel by pixel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from dairy_desktop.domain.plan import Plan, PlanDay
from dairy_desktop.printing.plan_chart import (
    AVAILABLE_FILL,
    ChartGeometry,
    axis_label,
    nice_step,
    paint_plan_chart,
)


def _plan(*days: tuple[int, int, int]) -> Plan:
    """(available_ml, reserved_ml, fat_centi) per day from 2025-12-04."""
    return Plan(
        first_day=date(2025, 12, 4),
        time_zone="Europe/Berlin",
        days=tuple(
            PlanDay(
                day=date(2025, 12, 4 + index),
                available_ml=available,
                reserved_ml=reserved,
                fat_percent=Decimal(fat) / 100,
                batches=1 if available + reserved else 0,
            )
            for index, (available, reserved, fat) in enumerate(days)
        ),
    )


def _paint(plan: Plan, width: int = 900, height: int = 400) -> tuple[QImage, ChartGeometry]:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    geometry = paint_plan_chart(painter, QRectF(10, 10, width - 20, height - 20), plan)
    painter.end()
    return image, geometry


def _column(image: QImage, x: float, top: float, bottom: float) -> list[QColor]:
    return [image.pixelColor(int(x), y) for y in range(int(top), int(bottom))]


def test_bars_are_as_tall_as_their_litres() -> None:
    plan = _plan((10_000_000, 0, 350), (40_000_000, 0, 400), (25_000_000, 0, 380))

    image, geometry = _paint(plan)

    heights = []
    for bar in geometry.bars:
        # Inside the outline: the grey fill's pixels along the bar's centre line.
        column = _column(image, bar.label_x, geometry.plot.top(), geometry.plot.bottom())
        heights.append(sum(1 for c in column if c == AVAILABLE_FILL))
    per_litre = [
        h / (bar.day.available_ml / 1000) for h, bar in zip(heights, geometry.bars, strict=True)
    ]
    assert heights[1] > heights[2] > heights[0] > 10
    assert max(per_litre) - min(per_litre) < 0.1 * max(per_litre)
    assert geometry.axis_max_ml >= 40_000_000
    assert geometry.axis_max_ml % geometry.tick_ml == 0


def test_the_reserved_part_is_hatched_on_top_and_absent_without_reservations() -> None:
    plan = _plan((10_000_000, 10_000_000, 350), (20_000_000, 0, 350))

    image, geometry = _paint(plan)

    reserved_bar, plain_bar = geometry.bars
    box = reserved_bar.reserved
    assert abs(box.height() - reserved_bar.available.height()) < 1.5  # same litres, same height
    assert box.bottom() <= reserved_bar.available.top() + 1  # stacked on top
    inside = [
        image.pixelColor(int(box.left() + dx), int(box.top() + dy)).lightness()
        for dx in range(3, int(box.width()) - 3)
        for dy in range(3, int(box.height()) - 3)
    ]
    dark = sum(1 for v in inside if v < 100)
    light = sum(1 for v in inside if v > 200)
    assert dark > 0.05 * len(inside)  # the hatching's lines
    assert light > 0.4 * len(inside)  # between them, white: never the available grey
    assert plain_bar.reserved.height() == 0
    above = _column(
        image, plain_bar.label_x, geometry.plot.top() + 30, plain_bar.available.top() - 20
    )
    assert all(c.lightness() > 150 for c in above)  # no hatching over an unreserved bar


def test_available_and_reserved_stay_apart_in_grey_scale() -> None:
    plan = _plan((20_000_000, 20_000_000, 350))
    image, geometry = _paint(plan)
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    bar = geometry.bars[0]

    def values(box: QRectF) -> list[int]:
        return [
            grey.pixelColor(int(box.left() + dx), int(box.top() + dy)).value()
            for dx in range(3, int(box.width()) - 3)
            for dy in range(3, int(box.height()) - 3)
        ]

    available, reserved = values(bar.available), values(bar.reserved)
    assert max(available) - min(available) < 10  # one flat grey
    assert max(reserved) - min(reserved) > 150  # black lines on white: a texture


def test_an_empty_plan_still_draws_its_axis_and_days() -> None:
    plan = _plan((0, 0, 0), (0, 0, 0))

    _, geometry = _paint(plan)

    assert [b.available.height() for b in geometry.bars] == [0, 0]
    assert geometry.axis_max_ml == 1_000


def test_ticks_are_round_numbers() -> None:
    assert nice_step(0) == 1_000
    assert nice_step(4_000) == 1_000
    assert nice_step(4_001) == 2_000
    assert nice_step(37_000_000) == 10_000_000
    assert nice_step(3) == 1
    assert axis_label(20_000_000) == "20,000 L"
    assert axis_label(500) == "0.5 L"
