"""What the colours mean: icon, swatch and word for every status."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from dairy_desktop.domain.status import BatchStatus
from dairy_desktop.ui.widgets.status_style import STATUS_HINTS, StatusStyle, status_icon


class Legend(QWidget):
    def __init__(self, style: StatusStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Legend:</b>"))
        for status in BatchStatus:
            icon = QLabel()
            icon.setPixmap(status_icon(status).pixmap(16, 16))
            layout.addWidget(icon)
            word = QLabel(status.label)
            brush = style.background[status]
            tint = brush.color().name() if brush else "transparent"
            strike = "text-decoration: line-through;" if status == BatchStatus.DELETED else ""
            word.setStyleSheet(
                f"background: {tint}; padding: 1px 6px; border-radius: 3px; {strike}"
            )
            word.setToolTip(STATUS_HINTS[status])
            layout.addWidget(word)
        layout.addStretch(1)
