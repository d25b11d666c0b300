"""The Planning window: per plant day, the litres expiring that day, available and reserved.

Non-modal, like the audit trail: it loads on a worker (plain values in and out) and reloads
when the days change, on F5, and shortly after the main window takes in changed batches
(another PC's consume, a reservation), so it stays current while left open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dairy_desktop.domain.errors import DairyError
from dairy_desktop.domain.liters import from_milliliters
from dairy_desktop.domain.plan import DEFAULT_PLAN_DAYS, MAX_PLAN_DAYS, Plan
from dairy_desktop.services.plan import load_plan
from dairy_desktop.ui.planning.chart_view import PlanChartView
from dairy_desktop.ui.planning.day_table import PlanDayTable
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from dairy_desktop.services.session import AppSession

DAYS_DELAY_MS = 300  # a few clicks on the spin box load once
LIVE_DELAY_MS = 1_500  # a burst of other PCs' changes reloads once


def summary_text(plan: Plan) -> str:
    """'Thu 2025-12-04 to Thu 2025-12-11 (Europe/Berlin): 12 batches, 4,000.000 L, of which
    1,000.000 L reserved.'"""
    last = plan.days[-1].day if plan.days else plan.first_day
    batches = sum(day.batches for day in plan.days)
    reserved = sum(day.reserved_ml for day in plan.days)
    total = format_decimal(from_milliliters(plan.total_ml), 3)
    return (
        f"{plan.first_day:%a} {plan.first_day.isoformat()} to {last:%a} {last.isoformat()} "
        f"({plan.time_zone}): {batches} {'batch' if batches == 1 else 'batches'} expiring, "
        f"{total} L, of which {format_decimal(from_milliliters(reserved), 3)} L reserved."
    )


class PlanningWindow(QMainWindow):
    """`PlanningWindow(session, runner, parent=None, *, days=7, changed=None)`.

    `changed`: a signal the main window emits when it takes in changed batches; the plan
    reloads a moment later. For tests and the owner: `days_spin`, `chart`, `table`,
    `message` and the signal `plan_loaded(Plan)`."""

    plan_loaded = Signal(object)

    def __init__(
        self,
        session: AppSession,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        days: int = DEFAULT_PLAN_DAYS,
        changed: SignalInstance | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("planningWindow")
        self.setWindowTitle("Planning — litres expiring per day")
        self._session, self._runner = session, runner
        self._loading = False
        self._again = False
        self.plan: Plan | None = None
        self._build(days)
        self._build_actions()
        if changed is not None:
            changed.connect(self._changed_elsewhere)
        self.resize(980, 720)
        self.refresh()

    def _build(self, days: int) -> None:
        self.days_spin = QSpinBox()
        self.days_spin.setRange(0, MAX_PLAN_DAYS)
        self.days_spin.setValue(days)
        self.days_spin.setSuffix(" days")
        self.days_spin.setToolTip(f"Days after today to plan for, 0–{MAX_PLAN_DAYS}")
        days_label = QLabel("&Days after today:")
        days_label.setBuddy(self.days_spin)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Reload the plan from the database (F5)")
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(days_label)
        top.addWidget(self.days_spin)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.summary, 1)

        self.message_label = QLabel()
        self.message_label.setObjectName("planMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(
            "QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 3px; }"
        )
        self.message_label.hide()
        self.note = QLabel(
            "Counted: every batch that may still be used, including those on hold or awaiting "
            "QA (named under the date). Not counted: expired, empty, rejected, recalled, "
            "deleted."
        )
        self.note.setWordWrap(True)

        self.chart = PlanChartView()
        self.table = PlanDayTable()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.note)
        self.setCentralWidget(central)

        self._days_timer = QTimer(self, singleShot=True, interval=DAYS_DELAY_MS)
        self._days_timer.timeout.connect(self.refresh)
        self._live_timer = QTimer(self, singleShot=True, interval=LIVE_DELAY_MS)
        self._live_timer.timeout.connect(self.refresh)
        self.days_spin.valueChanged.connect(lambda _value: self._days_timer.start())
        self.refresh_button.clicked.connect(self.refresh)

    def _build_actions(self) -> None:
        refresh = QAction("Refresh", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.refresh)
        self.addAction(refresh)
        close = QAction("Close", self)
        # Escape closes it, as it would a dialog: a look-up window, nothing to lose.
        close.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Escape")])
        close.triggered.connect(self.close)
        self.addAction(close)

    # loading
    def refresh(self) -> None:
        """Load the plan for the spin box's days; one load at a time, the latest wins."""
        self._days_timer.stop()
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._again = False
        session, days = self._session, self.days_spin.value()  # plain values for the worker
        self.statusBar().showMessage("Loading…")
        self._runner.run(
            lambda: load_plan(session.database, days=days, now=session.now()),
            self._loaded,
            self._failed,
        )

    def _loaded(self, plan: Plan) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish()
        self.plan = plan
        self._show_problem("")
        self.chart.set_plan(plan)
        self.table.show_plan(plan)
        self.summary.setText(summary_text(plan))
        self.plan_loaded.emit(plan)

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._finish()
        text = str(error) if isinstance(error, DairyError) else f"Unexpected error: {error}"
        self._show_problem(f"The plan could not be loaded: {text}")

    def _finish(self) -> None:
        self._loading = False
        self.statusBar().clearMessage()
        if self._again:
            QTimer.singleShot(0, self.refresh)

    def _changed_elsewhere(self, *_: object) -> None:
        if shiboken6.isValid(self) and self.isVisible():
            self._live_timer.start()

    # status
    @property
    def message(self) -> str:
        return self.message_label.text() if not self.message_label.isHidden() else ""

    def _show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
