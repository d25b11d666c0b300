"""Read-only table over the audit trail, newest first, fetched page by page as the view scrolls.

A million-event trail is never loaded at once: the first page comes with `set_filter`, the
next when the view asks (`canFetchMore`/`fetchMore`), each through the TaskRunner so the
database is never queried on the GUI thread.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from dairy_desktop.domain.audit import AuditAction, AuditEvent
from dairy_desktop.domain.errors import DairyError
from dairy_desktop.services.audit_trail import AuditFilter
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.locale_decimal import format_decimal

COL_TIME = 0
COL_BATCH = 1
COL_ACTION = 2
COL_LITRES = 3
COL_REMAINING = 4
COL_VERSION = 5
COL_ORDER = 6
COL_OPERATOR = 7
COL_WORKSTATION = 8
COL_REASON = 9
_HEADERS = (
    "Time",
    "Batch",
    "Action",
    "Litres",
    "Remaining (L)",
    "Version",
    "Order",
    "Operator",
    "Workstation",
    "Reason",
)
_NUMERIC = frozenset({COL_LITRES, COL_REMAINING, COL_VERSION})
PAGE_SIZE = 500
EventRole = Qt.ItemDataRole.UserRole + 1
"""The row's AuditEvent, for the window (copying, opening the batch)."""

_Index = QModelIndex | QPersistentModelIndex


def action_word(action: AuditAction) -> str:
    """Consume, Dispose, ...; QA stays in capitals."""
    return "QA" if action is AuditAction.QA else action.value.capitalize()


def reason_text(event: AuditEvent) -> str:
    """The Reason cell: the reason, with what the lifecycle's actions add to it (a write-off's
    code, a lab result, the event a reversal undoes) and whether the event was reversed."""
    parts: list[str] = []
    if event.is_reversed:
        parts.append(f"REVERSED by #{event.reversed_by}")
    if event.action is AuditAction.DISPOSE and event.reason_code:
        parts.append(f"[{event.reason_code}]")
    if event.action is AuditAction.QA and event.qa_test:
        extra = "".join(
            f", {label} {value}"
            for label, value in (("kit", event.qa_kit), ("sample", event.qa_sample_id))
            if value
        )
        parts.append(f"{event.qa_test}: {event.qa_result} by {event.qa_analyst}{extra}")
    if event.action is AuditAction.REVERSE and event.reverses_id is not None:
        parts.append(f"reverses #{event.reverses_id}:")
    if event.reason:
        parts.append(event.reason)
    return " ".join(parts)


def load_error_message(error: BaseException) -> str:
    if isinstance(error, DairyError):
        return str(error)
    # The driver's own first line, without SQLAlchemy's statement dump and help link.
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    detail = lines[0].rstrip(".") if lines else type(error).__name__
    return f"Could not load the audit trail: {detail}. Press F5 to try again."


class AuditTableModel(QAbstractTableModel):
    """Signals: `loading_changed(bool)`, `load_failed(str)`, `page_loaded(int rows so far)`."""

    loading_changed = Signal(bool)
    load_failed = Signal(str)
    page_loaded = Signal(int)

    def __init__(
        self,
        session: AppSession,
        runner: TaskRunner,
        *,
        zone: tzinfo | None = None,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._runner, self._page_size = session, runner, page_size
        self._zone: tzinfo = zone or ZoneInfo("UTC")
        self._filter = AuditFilter()
        self._events: list[AuditEvent] = []
        self._started = self._loading = self._exhausted = self._failed = False
        # Bumped on every reset, so a page that arrives for an old filter is dropped.
        self._generation = 0

    # what the window drives
    @property
    def audit_filter(self) -> AuditFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def started(self) -> bool:
        """False until the first `set_filter` (and after `clear`)."""
        return self._started

    @property
    def exhausted(self) -> bool:
        """True once the last page has arrived: every matching event is in the model."""
        return self._exhausted

    def set_zone(self, zone: tzinfo) -> None:
        self._zone = zone
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_TIME, COL_TIME)
        if self._events:
            last = self.index(len(self._events) - 1, COL_TIME)
            self.dataChanged.emit(self.index(0, COL_TIME), last, [Qt.ItemDataRole.DisplayRole])

    def set_filter(self, audit_filter: AuditFilter) -> None:
        """Drop what is loaded and fetch the first page for the new filter."""
        self.beginResetModel()
        self._filter = audit_filter
        self._events = []
        self._generation += 1
        self._started, self._exhausted, self._failed = True, False, False
        self._set_loading(False)
        self.endResetModel()
        self._fetch_page()

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def clear(self) -> None:
        """Show nothing (and fetch nothing) until the next `set_filter`."""
        self.beginResetModel()
        self._events = []
        self._generation += 1
        self._started = False
        self._set_loading(False)
        self.endResetModel()
        self.page_loaded.emit(0)

    def event_at(self, row: int) -> AuditEvent:
        return self._events[row]

    # paging
    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return self._started and not self._exhausted and not self._failed

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and not self._loading:
            self._fetch_page()

    def _fetch_page(self) -> None:
        generation, audit_filter = self._generation, self._filter
        before_id = self._events[-1].id if self._events else None
        # Plain values only for the worker: never this model (a Qt object) in the closure.
        session, page_size = self._session, self._page_size
        self._set_loading(True)
        self._runner.run(
            lambda: session.audit_page(audit_filter, limit=page_size, before_id=before_id),
            lambda page: self._page_arrived(generation, page),
            lambda error: self._page_failed(generation, error),
        )

    def _page_arrived(self, generation: int, page: list[AuditEvent]) -> None:
        # A page for an old filter, or for a model whose window was closed and deleted.
        if generation != self._generation or not shiboken6.isValid(self):
            return
        self._set_loading(False)
        self._exhausted = len(page) < self._page_size
        if page:
            first = len(self._events)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)  # inclusive last
            self._events.extend(page)
            self.endInsertRows()
        self.page_loaded.emit(len(self._events))

    def _page_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation or not shiboken6.isValid(self):
            return
        self._failed = True  # stop the view asking again on every scroll; F5 retries
        self._set_loading(False)
        self.load_failed.emit(load_error_message(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # the model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event, column = self._events[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(event, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(event, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EventRole:
            return event
        return None

    def _text(self, event: AuditEvent, column: int) -> str:
        if column == COL_TIME:
            return event.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M:%S")
        if column == COL_BATCH:
            return event.batch_code
        if column == COL_ACTION:
            return action_word(event.action)
        if column == COL_LITRES:
            liters = event.liters
            # As the main window writes litres: the PC's grouping, always three decimals.
            return "" if liters is None else format_decimal(liters, 3)
        if column == COL_REMAINING:
            return format_decimal(event.remaining_after, 3)
        if column == COL_VERSION:
            return str(event.version_after)
        if column == COL_ORDER:
            return event.order_id or ""
        if column == COL_OPERATOR:
            return event.operator
        if column == COL_WORKSTATION:
            return event.workstation
        if column == COL_REASON:
            return reason_text(event)
        return ""

    def _tooltip(self, event: AuditEvent, column: int) -> str | None:
        if column == COL_TIME:
            return f"{event.at.astimezone(self._zone).isoformat()} (event #{event.id})"
        if column == COL_REASON and reason_text(event):
            return reason_text(event)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(_HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Time ({self._zone})" if section == COL_TIME else _HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(section)
        return None


_HEADER_TIPS = {
    COL_TIME: "When it happened, in the plant's local time",
    COL_LITRES: "Litres registered or consumed by this change",
    COL_REMAINING: "Litres left in the batch after this change",
    COL_VERSION: "The batch's version after this change",
    COL_WORKSTATION: "The PC it was done from",
}
