"""Batch → Consume for order… and View → Reservations… from the main window; light to
import, as the main window's modules must be (the dialogs bring in the database layer on
first use)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from dairy_desktop.domain.batch import Batch
    from dairy_desktop.domain.settings import PlantSettings
    from dairy_desktop.services.session import AppSession
    from dairy_desktop.ui.tasks import TaskRunner


class OrdersHost(Protocol):
    """What the order dialogs need of the main window (a part of ui.main's MainContext,
    restated here so this package does not import the main window's)."""

    runner: TaskRunner

    @property
    def session(self) -> AppSession | None: ...

    @property
    def dialog_opened(self) -> SignalInstance: ...

    @property
    def dialog_parent(self) -> QWidget: ...

    @property
    def settings(self) -> PlantSettings: ...

    def show_message(self, text: str, timeout_ms: int = 0) -> None: ...


ApplyChanges = Callable[[list["Batch"]], None]


def open_order_consume(context: OrdersHost, apply_changes: ApplyChanges) -> None:
    """The modal Consume for order dialog; the batches it changed reach the table."""
    session = context.session
    if session is None:
        context.show_message("Not connected: consuming for an order needs the database.")
        return
    from dairy_desktop.ui.orders.order_calls import SessionOrderCalls
    from dairy_desktop.ui.orders.order_consume_dialog import OrderConsumeDialog

    dialog = OrderConsumeDialog(SessionOrderCalls(session), context.runner, context.dialog_parent)
    dialog.batches_changed.connect(apply_changes)
    context.dialog_opened.emit(dialog)
    dialog.exec()
    dialog.deleteLater()


def open_reservations(
    context: OrdersHost, changed: SignalInstance | None, apply_changes: ApplyChanges
) -> None:
    """A new non-modal Reservations window; `changed` (the main window's batches_changed)
    keeps it current, and the batches it changes reach the table."""
    session = context.session
    if session is None:
        context.show_message("Not connected: the reservations are in the database.")
        return
    from dairy_desktop.ui.orders.order_calls import SessionOrderCalls
    from dairy_desktop.ui.orders.reservations_window import ReservationsWindow

    window = ReservationsWindow(
        SessionOrderCalls(session),
        context.runner,
        context.settings.zone,
        context.dialog_parent,
        changed=changed,
        apply_changes=apply_changes,
    )
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    context.dialog_opened.emit(window)
    window.show()
