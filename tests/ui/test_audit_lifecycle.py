"""The audit window's rows for the lifecycle's actions: the write-off's code, the lab result,
the event a reversal undoes, and a reversed event marked as such; on both databases."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.domain.disposal import DisposeReason
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.audit import table_model as cols
from dairy_desktop.ui.audit.window import AuditWindow
from dairy_desktop.ui.dialogs.lifecycle_calls import QaEntry
from dairy_desktop.ui.dialogs.session_calls import SessionCalls
from dairy_desktop.ui.tasks import TaskRunner
from tests.integration.helpers import register

CODE = "SCH-20251204-0001"


def _column(window: AuditWindow, column: int) -> list[str]:
    model = window.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_lifecycle_events_read_plainly_in_the_audit_window(
    qtbot: QtBot, session: AppSession, runner: TaskRunner
) -> None:
    register(session.database, liters="100")
    calls = SessionCalls(session)
    entry = QaEntry("beta-lactam", "pass", "lab-anna", kit="SNAP 4471", sample_id="S-1")
    batch = calls.record_qa(CODE, entry, expected_version=1, request_id="r1")
    batch = calls.hold(CODE, "lab asked", expected_version=batch.version, request_id="r2")
    batch = calls.release(CODE, "clean", expected_version=batch.version, request_id="r3")
    batch = calls.dispose(
        CODE,
        "2.5",
        reason_code=DisposeReason.SPILLAGE,
        note="hose burst",
        expected_version=batch.version,
        request_id="r4",
    )
    dispose_id = session.history(CODE)[-1].id
    calls.reverse(dispose_id, "was a drill", expected_version=batch.version, request_id="r5")

    window = AuditWindow(session, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=5_000)
    assert _column(window, cols.COL_ACTION) == [
        "Reverse",
        "Dispose",
        "Release",
        "Hold",
        "QA",
        "Register",
    ]
    reasons = _column(window, cols.COL_REASON)
    assert reasons[0] == f"reverses #{dispose_id}: was a drill"
    assert reasons[1].startswith("REVERSED by #")
    assert "[spillage] hose burst" in reasons[1]
    assert reasons[4] == "beta-lactam: pass by lab-anna, kit SNAP 4471, sample S-1"
    assert window.action_combo.findText("QA") >= 0
    assert [e.action for e in session.history(CODE)][-1] is AuditAction.REVERSE
