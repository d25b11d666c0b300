"""Closing the window never drops a change already sent: it waits (bounded) for its answer,
and says so if the answer does not come."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from dairy_desktop.ui.main.batch_actions import BatchActions

# Longer than any one answer may take (the client gives up after 10 s, a silent server is
# reported within 15 s), so a change that can still be confirmed is.
CHANGE_WAIT_MS = 16_000


def finish_changes(
    actions: BatchActions, parent: QWidget, *, timeout_ms: int = CHANGE_WAIT_MS
) -> list[str]:
    """Wait for the answers of the changes in flight; report and return any still missing.

    Returns at once when nothing is in flight (the usual case: quitting stays instant).
    """
    if not actions.in_flight:
        return []
    loop = QEventLoop()
    timer = QTimer(singleShot=True, interval=timeout_ms)
    timer.timeout.connect(loop.quit)

    def settled() -> None:
        if not actions.in_flight:
            loop.quit()

    actions.settled.connect(settled)
    timer.start()
    loop.exec()
    timer.stop()
    actions.settled.disconnect(settled)
    missing = list(actions.in_flight)
    if missing:
        QMessageBox.warning(
            parent,
            "Not confirmed",
            f"{'; '.join(missing)}: sent, but its answer has not arrived. It is recorded "
            "once or not at all: after starting again, look for it in the audit trail "
            "(View → Audit trail) before doing it again.",
        )
    return missing
