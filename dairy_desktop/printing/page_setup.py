"""Paper: A4 by default, Letter where the locale uses it; margins that every printer can do."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize

# Territories whose offices use US Letter although their measurement system is metric.
_LETTER_TERRITORIES = frozenset(
    {QLocale.Country.Canada, QLocale.Country.Mexico, QLocale.Country.Philippines}
)
SHEET_MARGINS_MM = QMarginsF(12, 10, 12, 10)


def default_page_size(locale: QLocale | None = None) -> QPageSize:
    locale = locale or QLocale()
    uses_letter = (
        locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
        or locale.territory() in _LETTER_TERRITORIES
    )
    return QPageSize(QPageSize.PageSizeId.Letter if uses_letter else QPageSize.PageSizeId.A4)


def sheet_page_layout(page_size: QPageSize | None = None) -> QPageLayout:
    return QPageLayout(
        page_size or default_page_size(),
        QPageLayout.Orientation.Portrait,
        SHEET_MARGINS_MM,
        QPageLayout.Unit.Millimeter,
    )
