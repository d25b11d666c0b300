"""The window's daily look at the audit trail: does it still prove the stock it shows?

`audit verify` (services/audit_verify.py) recomputes the hash chains and replays every
batch's history against its row. The window runs it on the task runner once shortly after
the first listing of each database it connects to, then once a day, and announces a failure
(and a later pass) by signal. It never runs before the first paint: the first check waits
for the listing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from dairy_desktop.domain.errors import DairyError
from dairy_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from dairy_desktop.services.audit_verify import AuditVerification
    from dairy_desktop.services.session import AppSession

log = logging.getLogger(__name__)

DAY_MS = 24 * 60 * 60 * 1000
AFTER_FIRST_LISTING_MS = 30_000  # "shortly after start", once the operator has the table


class AuditWatch(QObject):
    failed = Signal(str)  # the verification's one-line message
    passed = Signal()

    def __init__(
        self,
        session: Callable[[], AppSession | None],
        runner: Callable[[], TaskRunner],
        *,
        first_delay_ms: int = AFTER_FIRST_LISTING_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._runner = session, runner
        self._checking = False
        self._due_after_listing = True
        self.last: AuditVerification | None = None
        self.first_check = QTimer(self)
        self.first_check.setSingleShot(True)
        self.first_check.setInterval(first_delay_ms)
        self.first_check.timeout.connect(self.check_now)
        self.daily_check = QTimer(self)
        self.daily_check.setInterval(DAY_MS)
        self.daily_check.timeout.connect(self.check_now)

    def connected(self) -> None:
        """A (new) database: check it once its first listing is in."""
        self._due_after_listing = True

    def listing_loaded(self) -> None:
        if self._due_after_listing:
            self._due_after_listing = False
            self.first_check.start()
            self.daily_check.start()

    def stop(self) -> None:
        self.first_check.stop()
        self.daily_check.stop()

    def check_now(self) -> None:
        session = self._session()
        if session is None or self._checking:
            return
        self._checking = True
        self._runner().run(session.verify_audit, self._verified, self._could_not_verify)

    def _verified(self, verification: AuditVerification) -> None:
        self._checking = False
        self.last = verification
        if verification.ok:
            log.info("audit verify: %s", verification.message)
            self.passed.emit()
            return
        log.error("audit verify failed: %s", verification.message)
        for problem in verification.problems:
            log.error("audit verify: %s", problem)
        self.failed.emit(verification.message)

    def _could_not_verify(self, error: BaseException) -> None:
        # Not a finding about the record: the next check (or the next day's) tries again.
        self._checking = False
        if isinstance(error, DairyError):
            log.warning("audit verify could not run: %s", error)
        else:
            log.error("audit verify could not run", exc_info=error)
