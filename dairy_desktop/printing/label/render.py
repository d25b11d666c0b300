"""Render a batch label (default 100 × 50 mm) to a label printer or a PDF file.

Top: code, received, expiry, volume, fat %. Below: a GS1-128 barcode with (17) expiry date,
(7003) expiry date and time, (315n) litres and (10) code, its text line, and a Code 128 of the plain code for scanners
not set up for GS1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter

from dairy_desktop.barcodes.code128 import (
    QUIET_ZONE_MODULES,
    NotEncodable,
    code128_pattern,
    gs1_128_pattern,
    pattern_width_modules,
)
from dairy_desktop.barcodes.gs1_encode import Gs1Element, element_string, human_readable
from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.printing.barcode_paint import MIN_MODULE_MM, fitting_module_px, paint_barcode
from dairy_desktop.printing.label.data import BatchLabel, build_label
from dairy_desktop.printing.paint_kit import DARK_GREY, Align, Canvas, make_font
from dairy_desktop.printing.pdf_output import write_pdf

DEFAULT_LABEL_MM = (100.0, 50.0)
LABEL_MARGIN_MM = 3.0
TEXT_BLOCK_MM = 17.0
HRI_MM = 3.6
GAP_MM = 1.4
MIN_BAR_MM = 7.0
MAX_BAR_MM = 20.0
LARGEST_MODULE_MM = 0.4
# Share of the barcode room that goes to the GS1-128 (longer, so a little taller).
GS1_SHARE = 0.56


def label_page_layout(size_mm: tuple[float, float] = DEFAULT_LABEL_MM) -> QPageLayout:
    width, height = size_mm
    page = QPageSize(
        QSizeF(width, height),
        QPageSize.Unit.Millimeter,
        f"Label {width:g} × {height:g} mm",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    margins = QMarginsF(*(LABEL_MARGIN_MM,) * 4)
    return QPageLayout(page, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)


@dataclass(frozen=True, slots=True)
class _Barcode:
    pattern: str
    module_px: float
    height_mm: float
    text: str = ""
    """The GS1 text line printed under it (empty for the plain Code 128)."""


@dataclass(frozen=True, slots=True)
class _LabelPlan:
    gs1_slot_mm: float
    gs1: _Barcode | None
    plain: _Barcode


def render_label(batch: Batch, device: QPagedPaintDevice, *, zone: tzinfo) -> None:
    """Paint one label on `device`, whose page layout is the label (see label_page_layout)."""
    label = build_label(batch, zone)
    rect = device.pageLayout().paintRect(QPageLayout.Unit.Millimeter)
    painter = QPainter()
    canvas = Canvas(painter, device)
    # Sized before begin(): a label too small is refused before the printer feeds one.
    plan = _plan(canvas, label, rect.width(), rect.height())
    if not painter.begin(device):
        raise OSError("Cannot start printing the label: the printer or file refused to open.")
    try:
        _paint_label(canvas, label, rect.width(), plan)
    finally:
        painter.end()


def min_label_height_mm() -> float:
    return TEXT_BLOCK_MM + HRI_MM + 2 * GAP_MM + MIN_BAR_MM / (1 - GS1_SHARE) + 2 * LABEL_MARGIN_MM


def _plan(c: Canvas, label: BatchLabel, width: float, height: float) -> _LabelPlan:
    bar_room = height - TEXT_BLOCK_MM - HRI_MM - 2 * GAP_MM
    gs1_height = min(MAX_BAR_MM, bar_room * GS1_SHARE)
    plain_height = min(MAX_BAR_MM, bar_room - gs1_height)
    if plain_height < MIN_BAR_MM:
        raise InvalidInput(
            f"The label is too short for its barcodes: {height + 2 * LABEL_MARGIN_MM:g} mm, "
            f"at least {min_label_height_mm():.0f} mm needed.",
            field="label_size",
        )
    gs1 = _fitting_gs1(c, label.gs1_choices, width, gs1_height) if label.gs1_choices else None
    try:
        pattern = code128_pattern(label.code)
    except NotEncodable:
        raise InvalidInput(
            f"Batch code {label.code!r} cannot be printed as a barcode: Code 128 carries "
            "only ASCII letters, digits and punctuation.",
            field="code",
        ) from None
    plain = _Barcode(pattern, _module(c, pattern, width, "Code 128"), plain_height)
    return _LabelPlan(gs1_height, gs1, plain)


def _fitting_gs1(
    c: Canvas, choices: tuple[tuple[Gs1Element, ...], ...], width: float, height: float
) -> _Barcode:
    """The fullest GS1-128 the label's width holds (see gs1_label_choices)."""
    pattern = ""
    for elements in choices:
        pattern = gs1_128_pattern(element_string(elements))
        module = _fitting_module(c, pattern, width)
        if module is not None:
            return _Barcode(pattern, module, height, human_readable(elements))
    raise _too_narrow(pattern, "GS1-128")


def _module(c: Canvas, pattern: str, width: float, kind: str) -> float:
    module = _fitting_module(c, pattern, width)
    if module is None:
        raise _too_narrow(pattern, kind)
    return module


def _fitting_module(c: Canvas, pattern: str, width: float) -> float | None:
    """The widest module for which the bars fit the printable width and the bars with their
    quiet zones fit the label: the blank label margin may serve as quiet zone."""
    bars = fitting_module_px(c.mm(width), len(pattern), c.dpi, largest_mm=LARGEST_MODULE_MM)
    whole = fitting_module_px(
        c.mm(width + 2 * LABEL_MARGIN_MM),
        pattern_width_modules(pattern),
        c.dpi,
        largest_mm=LARGEST_MODULE_MM,
    )
    return min(bars, whole) if bars is not None and whole is not None else None


def _too_narrow(pattern: str, kind: str) -> InvalidInput:
    needed = max(
        len(pattern) * MIN_MODULE_MM + 2 * LABEL_MARGIN_MM,
        (len(pattern) + 2 * QUIET_ZONE_MODULES) * MIN_MODULE_MM,
    )
    return InvalidInput(
        f"The label is too narrow for the {kind} barcode: it needs at least {needed:.0f} mm.",
        field="label_size",
    )


def _paint_label(c: Canvas, label: BatchLabel, width: float, plan: _LabelPlan) -> None:
    _paint_facts(c, label, width)
    top, gs1, gs1_height = TEXT_BLOCK_MM, plan.gs1, plan.gs1_slot_mm
    if gs1 is not None:
        _paint_centred(c, gs1, top, width)
        hri_baseline = top + gs1.height_mm + HRI_MM - 0.6
        c.fitted_text(0, hri_baseline, width, gs1.text, make_font(7.5), Align.CENTER)
    else:
        note = f"No GS1-128: {label.gs1_refusal}"
        c.fitted_text(
            0, top + gs1_height / 2, width, note, make_font(6.5, italic=True), color=DARK_GREY
        )
    _paint_centred(c, plan.plain, top + gs1_height + HRI_MM + GAP_MM, width)


def _paint_facts(c: Canvas, label: BatchLabel, width: float) -> None:
    key_font, value, value_bold = make_font(6.5), make_font(8.5), make_font(8.5, bold=True)
    c.fitted_text(0, 5.2, width * 0.62, label.code, make_font(14, bold=True))
    c.text(width, 5.2, label.volume_text, make_font(11, bold=True), Align.RIGHT)
    # Three slots; expiry gets the widest (it may carry "CEST"/"CET" on a DST night).
    expires_x, fat_x = width * 0.35, width * 0.84
    c.text(0, 9.3, "Received", key_font, color=DARK_GREY)
    c.fitted_text(0, 13.2, expires_x - 2, label.received_text, value)
    c.text(expires_x, 9.3, "Expires", key_font, color=DARK_GREY)
    c.fitted_text(expires_x, 13.2, fat_x - expires_x - 2, label.expires_text, value_bold)
    c.text(width, 9.3, "Fat", key_font, Align.RIGHT, DARK_GREY)
    c.fitted_text(fat_x, 13.2, width - fat_x, label.fat_text, value, Align.RIGHT)
    c.line(0, TEXT_BLOCK_MM - 2.2, width, TEXT_BLOCK_MM - 2.2, 0.25, DARK_GREY)


def _paint_centred(c: Canvas, barcode: _Barcode, top: float, width: float) -> None:
    left = (c.mm(width) - pattern_width_modules(barcode.pattern) * barcode.module_px) / 2
    paint_barcode(
        c.painter,
        barcode.pattern,
        left=left,
        top=c.mm(top),
        module=barcode.module_px,
        height=c.mm(barcode.height_mm),
    )


def render_label_pdf(
    batch: Batch,
    path: str | Path,
    *,
    zone: tzinfo,
    size_mm: tuple[float, float] = DEFAULT_LABEL_MM,
) -> None:
    """Write one label as a one-page PDF of exactly `size_mm` (replaced only on success)."""
    write_pdf(
        path,
        label_page_layout(size_mm),
        f"Batch label {batch.code}",
        lambda writer: render_label(batch, writer, zone=zone),
    )
