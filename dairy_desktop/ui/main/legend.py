"""What the colours mean: icon, swatch and word for every status, and the warm-load mark."""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.widgets.status_style import STATUS_HINTS, StatusStyle

# The expiry bands, then what stops use whatever the expiry, then what holds nothing.
LEGEND_ORDER = [
    BatchStatus.EXPIRED,
    BatchStatus.EXPIRES_TODAY,
    BatchStatus.NEAR_EXPIRY,
    BatchStatus.FRESH,
    BatchStatus.PENDING_QA,
    BatchStatus.ON_HOLD,
    BatchStatus.REJECTED,
    BatchStatus.RECALLED,
    BatchStatus.EMPTY,
    BatchStatus.DELETED,
]
WARM_WORD = "Warm load"
WARM_HINT = "Received above the plant's temperature limit (Temp °C column)"


class Legend(QWidget):
    def __init__(self, style: StatusStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(QLabel("<b>Legend:</b>"))
        for status in LEGEND_ORDER:
            brush = style.background[status]
            tint = brush.color().name() if brush else "transparent"
            strike = "text-decoration: line-through;" if status == BatchStatus.DELETED else ""
            self._entry(
                layout,
                style.icon(status).pixmap(16, 16),
                status.label,
                STATUS_HINTS[status],
                f"background: {tint}; padding: 1px 6px; border-radius: 3px; {strike}",
            )
        self._entry(
            layout, style.warm_icon().pixmap(16, 16), WARM_WORD, WARM_HINT, "font-weight: bold;"
        )
        layout.addStretch(1)

    @staticmethod
    def _entry(layout: QHBoxLayout, pixmap: QPixmap, word: str, hint: str, css: str) -> None:
        icon = QLabel()
        icon.setPixmap(pixmap)
        icon.setToolTip(hint)
        layout.addWidget(icon)
        label = QLabel(word)
        label.setStyleSheet(css)
        label.setToolTip(hint)
        label.setObjectName(f"legend:{word}")
        layout.addWidget(label)
