"""The conflict path end to end through the main window, on both databases."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from dairy_desktop.domain.audit import AuditAction
from dairy_desktop.services.session import AppSession
from dairy_desktop.ui.dialogs.conflict_prompt import ConflictPrompt
from dairy_desktop.ui.dialogs.consume_dialog import ConsumeDialog
from dairy_desktop.ui.main.batch_table_model import COL_REMAINING, COL_VERSION
from dairy_desktop.ui.main.window import MainWindow
from tests.integration.helpers import register

CODE = "SCH-20251204-0001"


def test_conflict_prompt_reload_resubmit_and_the_table_shows_the_final_state(
    window: MainWindow, other_pc: AppSession
) -> None:
    register(other_pc.database, liters="500")
    window.reload()
    assert window.select_code(CODE)
    steps: list[str] = []
    prompt_states: list[tuple[str, str]] = []

    def drive_prompt(prompt: ConflictPrompt) -> None:
        prompt_states.append((prompt.cell_text(1, 1), prompt.cell_text(1, 2)))
        steps.append("prompt")
        QTimer.singleShot(0, prompt.reload_button.click)

    def drive_dialog(dialog: QWidget) -> None:
        assert isinstance(dialog, ConsumeDialog)
        dialog.conflict_shown.connect(drive_prompt)

        def first_submit() -> None:
            assert dialog.loaded.version == 1
            dialog.liters.setText("40")
            dialog.order.setText("ORDER-20251204-0042")
            # Another PC consumes while this dialog is open.
            other_pc.consume(CODE, "100", order_id="ORDER-20251204-0007", expected_version=1)
            dialog.submit_button.click()
            steps.append(f"reloaded v{dialog.loaded.version}")
            assert dialog.liters.text() == "40"
            assert dialog.order.text() == "ORDER-20251204-0042"
            assert "400.000 L" in dialog.summary.text()
            dialog.submit_button.click()  # re-checked, submit again

        QTimer.singleShot(0, first_submit)

    window.dialog_opened.connect(drive_dialog)
    window.open_consume()

    assert steps == ["prompt", "reloaded v2"]
    assert prompt_states == [("500.000 L", "<b>400.000 L</b> ◀ changed")]
    history = other_pc.history(CODE)
    consumes = [(e.action, str(e.liters), e.order_id, e.operator) for e in history[1:]]
    assert consumes == [
        (AuditAction.CONSUME, "100.000", "ORDER-20251204-0007", "jonas"),
        (AuditAction.CONSUME, "40.000", "ORDER-20251204-0042", "maria"),
    ]
    row = window.model.row_of(CODE)
    assert row is not None
    assert window.model.data(window.model.index(row, COL_REMAINING)) == "360.000"
    assert window.model.data(window.model.index(row, COL_VERSION)) == "3"
