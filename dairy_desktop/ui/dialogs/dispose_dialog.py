"""Write litres off a batch: how much (or all that remains), why (a reason code), a note.

The litres are read in the PC's number format, with the reading shown beside the field. A
rejected batch can only be written off as a rejected load, so its reason is fixed; that code
is for rejected batches only, so no other batch offers it. "Other" needs a note. Opened on
an expired batch, the dialog starts with all that remains and the reason Expired: Enter
does the obvious thing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from dairy_desktop.domain.batch import Batch
from dairy_desktop.domain.disposal import DisposeReason, validated_disposal
from dairy_desktop.domain.errors import InvalidInput
from dairy_desktop.domain.liters import format_liters, parse_liters
from dairy_desktop.domain.qa import QaState
from dairy_desktop.ui.dialogs.change_dialog import ChangeDialog
from dairy_desktop.ui.dialogs.lifecycle_calls import LifecycleCalls
from dairy_desktop.ui.tasks import TaskRunner
from dairy_desktop.ui.widgets.locale_decimal import format_decimal, plain_number
from dairy_desktop.ui.widgets.reading_label import reading_label


def offered_reasons(batch: Batch) -> list[DisposeReason]:
    if batch.qa_state is QaState.REJECTED:
        return [DisposeReason.REJECTED_LOAD]
    return [reason for reason in DisposeReason if reason is not DisposeReason.REJECTED_LOAD]


class DisposeDialog(ChangeDialog):
    """`expired`: opened on an expired batch (all remaining, reason Expired to start)."""

    def __init__(
        self,
        batch: Batch,
        calls: LifecycleCalls,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        expired: bool = False,
    ) -> None:
        super().__init__(batch, runner, parent)
        self._calls = calls
        self.setObjectName("disposeDialog")
        self.liters = QLineEdit()
        self.liters.setObjectName("liters")
        self.liters.setPlaceholderText("e.g. " + format_decimal(Decimal("20.5"), 1))
        self.liters_reading = reading_label("litersReading")
        self.add_field("&Litres:", self.liters, "liters", self.liters_reading)
        self.all_remaining = QCheckBox("&All that remains")
        self.all_remaining.setObjectName("allRemaining")
        self.form.addRow("", self.all_remaining)
        self.reason = QComboBox()
        self.reason.setObjectName("reasonCode")
        self.add_field("&Reason:", self.reason, "reason_code")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.add_field("&Note:", self.note, "note")

        self.liters.textChanged.connect(self.touched("liters"))
        self.all_remaining.toggled.connect(self.touched("liters"))
        self.all_remaining.toggled.connect(self._all_toggled)
        self.reason.currentIndexChanged.connect(self.touched("reason_code"))
        self.reason.currentIndexChanged.connect(self.touched("note"))
        self.note.textChanged.connect(self.touched("note"))
        self._fill_reasons()
        if expired and batch.qa_state is not QaState.REJECTED:
            self.all_remaining.setChecked(True)
            self.reason.setCurrentIndex(self.reason.findData(DisposeReason.EXPIRED.value))
        self.finish("&Dispose")
        (self.reason if expired else self.liters).setFocus()

    def _fill_reasons(self) -> None:
        chosen = self.chosen_reason()
        self.reason.blockSignals(True)
        try:
            self.reason.clear()
            for reason in offered_reasons(self.loaded):
                self.reason.addItem(reason.label, reason.value)
            index = -1 if chosen is None else self.reason.findData(chosen.value)
            if self.reason.count() == 1:
                index = 0  # fixed: the only reason there is
            self.reason.setCurrentIndex(index)
            self.reason.setEnabled(self.reason.count() > 1)
        finally:
            self.reason.blockSignals(False)
        if self.reason.currentIndex() < 0:
            self.reason.setPlaceholderText("Choose why the milk goes…")

    def show_loaded(self) -> None:
        self.setWindowTitle(f"Dispose — {self.loaded.code}")
        fixed = (
            "<br>Rejected by QA: its milk can only be written off as a rejected load."
            if self.loaded.qa_state is QaState.REJECTED
            else ""
        )
        self.summary.setText(self.summary_line(fixed))
        self._fill_reasons()

    def _all_toggled(self, checked: bool) -> None:
        self.liters.setEnabled(not checked)

    def chosen_reason(self) -> DisposeReason | None:
        data = self.reason.currentData()
        return DisposeReason(data) if isinstance(data, str) else None

    def _liters(self) -> Decimal | None:
        """The litres typed (None: all that remains); raises InvalidInput."""
        if self.all_remaining.isChecked():
            if self.loaded.remaining_ml <= 0:
                raise InvalidInput("Nothing is left in this batch to dispose of.", field="liters")
            return None
        if not self.liters.text().strip():
            raise InvalidInput(
                "Enter the litres to dispose of (or tick All that remains).", field="liters"
            )
        liters = parse_liters(plain_number(self.liters.text(), what="Litres", field="liters"))
        if liters > self.loaded.remaining_liters:
            raise InvalidInput(
                f"Only {format_decimal(self.loaded.remaining_liters, 3)} L remain in this batch.",
                field="liters",
            )
        return liters

    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        try:
            liters = self._liters()
            shown = self.loaded.remaining_liters if liters is None else liters
            self.liters_reading.setText(f"= {format_decimal(shown, 3)} L")
        except InvalidInput as problem:
            found["liters"] = str(problem)
            self.liters_reading.setText("")
        reason = self.chosen_reason()
        if reason is None:
            found["reason_code"] = "Choose a reason: why does this milk leave stock?"
        else:
            try:
                validated_disposal(reason, self.note.text())
            except InvalidInput as problem:
                found["note" if problem.field == "note" else "reason_code"] = str(problem)
        return found

    def work(self, batch: Batch, request_id: str) -> Callable[[], Any]:
        liters = self._liters()
        amount = None if liters is None else format_liters(liters)
        reason = self.chosen_reason()
        assert reason is not None  # checked by problems()
        note = self.note.text().strip() or None
        calls, code, version = self._calls, batch.code, batch.version
        return lambda: calls.dispose(
            code,
            amount,
            reason_code=reason,
            note=note,
            expected_version=version,
            request_id=request_id,
        )
